"""Buying: purchase requests (견적요청), quotes (견적서), purchase orders (발주서), direct orders, messages."""
