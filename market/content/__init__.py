"""The support center's public portal: notices and calls, the resources library, guide pages, the community."""
