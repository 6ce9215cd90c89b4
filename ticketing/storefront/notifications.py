"""The e-mails an online customer receives (HTML and text, Spanish)."""


def send_order_confirmation(order) -> None:
    raise NotImplementedError


def send_payment_rejected(order, *, reason: str) -> None:
    raise NotImplementedError
