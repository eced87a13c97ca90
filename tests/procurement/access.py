"""Access rules of the buying routes. Agency X sent `request_x` to enterprises A and B; A quoted (`quote_a`);
`order_x` is between X and A. Everything else is answered with 404: its existence is not revealed."""
from tests.access import Rule, agencies_only, everyone, signed_in

X_AND_PARTIES = everyone(404, anonymous=302, agency_x=200, enterprise_a=200, enterprise_b=200, city=200)
ORDER_PARTIES = everyone(404, anonymous=302, agency_x=200, enterprise_a=200, city=200)


def _request(w):
    return {"request_id": w.request_x.id}


def _order(w):
    return {"order_id": w.order_x.id}


RULES = {
    ("procurement.requests", "GET"): Rule(signed_in(200)),
    ("procurement.new_request", "GET"): Rule(agencies_only()),
    ("procurement.new_request", "POST"): Rule(agencies_only(400)),
    ("procurement.edit_request", "GET"): Rule(everyone(404, anonymous=302, agency_x=200, enterprise_a=403,
                                                       enterprise_b=403, city=403), args=_request),
    ("procurement.edit_request", "POST"): Rule(everyone(404, anonymous=302, agency_x=400, enterprise_a=403,
                                                        enterprise_b=403, city=403), args=_request),
    ("procurement.request_action", "POST"): Rule(everyone(404, anonymous=302, agency_x=302, enterprise_a=302,
                                                          enterprise_b=302, city=302),
                                                 args=lambda w: {"request_id": w.request_x.id, "action": "send"}),
    ("procurement.request_detail", "GET"): Rule(X_AND_PARTIES, args=_request),
    ("procurement.submit_quote", "POST"): Rule(everyone(404, anonymous=302, agency_x=403, enterprise_a=302,
                                                        enterprise_b=302, city=403), args=_request),
    ("procurement.decline_request", "POST"): Rule(everyone(404, anonymous=302, agency_x=403, enterprise_a=302,
                                                           enterprise_b=302, city=403), args=_request),
    ("procurement.compare", "GET"): Rule(everyone(404, anonymous=302, agency_x=302, enterprise_a=403,
                                                  enterprise_b=403, city=302), args=_request),
    ("procurement.accept_quote", "POST"): Rule(everyone(404, anonymous=302, agency_x=302, enterprise_a=302,
                                                        enterprise_b=302, city=302),
                                               args=lambda w: {"quote_id": w.quote_a.id}),
    ("procurement.direct_order", "GET"): Rule(agencies_only(), args=lambda w: {"enterprise_id": w.enterprise_a.id}),
    ("procurement.direct_order", "POST"): Rule(agencies_only(400),
                                               args=lambda w: {"enterprise_id": w.enterprise_a.id}),
    ("procurement.orders", "GET"): Rule(signed_in(200)),
    ("procurement.order_detail", "GET"): Rule(ORDER_PARTIES, args=_order),
    ("procurement.order_action", "POST"): Rule(everyone(404, anonymous=302, agency_x=302, enterprise_a=302, city=302),
                                               args=lambda w: {"order_id": w.order_x.id, "action": "confirm"}),
    ("procurement.order_document", "GET"): Rule(ORDER_PARTIES, args=lambda w: {"order_id": w.order_x.id,
                                                                             "document": "print"}),
    ("procurement.post_message", "POST"): Rule(everyone(404, anonymous=302, agency_x=302, enterprise_a=302,
                                                        city=302),
                                               args=lambda w: {"kind": "order", "object_id": w.order_x.id}),
    ("procurement.notifications", "GET"): Rule(signed_in(200)),
    ("procurement.download", "GET"): Rule(everyone(404, anonymous=302), args=lambda w: {"file_id": 999999}),
}
