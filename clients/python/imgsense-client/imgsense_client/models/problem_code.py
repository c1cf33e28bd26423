from enum import StrEnum


class ProblemCode(StrEnum):
    BODY_TOO_LARGE = "body_too_large"
    CORRUPT_IMAGE = "corrupt_image"
    DEADLINE_EXCEEDED = "deadline_exceeded"
    EMPTY_BODY = "empty_body"
    EXPECTATION_FAILED = "expectation_failed"
    HEADERS_TOO_LARGE = "headers_too_large"
    IMAGE_TOO_COMPLEX = "image_too_complex"
    IMAGE_URL_ADDRESS_REFUSED = "image_url_address_refused"
    IMAGE_URL_DISABLED = "image_url_disabled"
    IMAGE_URL_FETCH_FAILED = "image_url_fetch_failed"
    IMAGE_URL_INVALID = "image_url_invalid"
    IMAGE_URL_NOT_ALLOWED = "image_url_not_allowed"
    IMAGE_URL_TIMEOUT = "image_url_timeout"
    INTERNAL = "internal"
    INVALID_REQUEST = "invalid_request"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    MISSING_IMAGE_FIELD = "missing_image_field"
    NOT_FOUND = "not_found"
    NOT_READY = "not_ready"
    OVERLOADED = "overloaded"
    RATE_LIMITED = "rate_limited"
    REQUEST_TIMEOUT = "request_timeout"
    TOO_MANY_IMAGES = "too_many_images"
    TOO_MANY_PIXELS = "too_many_pixels"
    TRUNCATED_BODY = "truncated_body"
    UNAUTHORIZED = "unauthorized"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"

    def __str__(self) -> str:
        return str(self.value)
