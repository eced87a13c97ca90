"""Banks an enterprise may receive transfers at, by their Korea Financial Telecommunications & Clearings
Institute (금융결제원) codes: the code is what a bank transfer form asks for, the names are what people read."""
from __future__ import annotations

from market.core.names import BilingualName as Bank


BANKS = (
    Bank("011", "NH농협은행", "NH NongHyup Bank"),
    Bank("012", "지역 농·축협", "Local NongHyup (agricultural cooperatives)"),
    Bank("037", "전북은행", "Jeonbuk Bank"),
    Bank("004", "KB국민은행", "KB Kookmin Bank"),
    Bank("088", "신한은행", "Shinhan Bank"),
    Bank("020", "우리은행", "Woori Bank"),
    Bank("081", "하나은행", "Hana Bank"),
    Bank("003", "IBK기업은행", "IBK Industrial Bank of Korea"),
    Bank("002", "KDB산업은행", "KDB Korea Development Bank"),
    Bank("007", "수협은행", "Suhyup Bank"),
    Bank("023", "SC제일은행", "SC First Bank"),
    Bank("027", "한국씨티은행", "Citibank Korea"),
    Bank("031", "iM뱅크", "iM Bank"),
    Bank("032", "부산은행", "Busan Bank"),
    Bank("034", "광주은행", "Kwangju Bank"),
    Bank("035", "제주은행", "Jeju Bank"),
    Bank("039", "경남은행", "Kyongnam Bank"),
    Bank("045", "새마을금고", "MG Community Credit Cooperatives"),
    Bank("048", "신협", "Shinhyup (credit unions)"),
    Bank("050", "저축은행", "Savings banks"),
    Bank("064", "산림조합", "National Forestry Cooperatives"),
    Bank("071", "우체국", "Korea Post"),
    Bank("089", "케이뱅크", "K Bank"),
    Bank("090", "카카오뱅크", "KakaoBank"),
    Bank("092", "토스뱅크", "Toss Bank"),
)
BY_CODE = {bank.code: bank for bank in BANKS}
