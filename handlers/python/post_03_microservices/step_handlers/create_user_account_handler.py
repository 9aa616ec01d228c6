# ANCHOR: handler
from __future__ import annotations

from tasker_core import ErrorType, StepContext, StepHandler, StepHandlerResult

from blog_common.ids import hex_id
from blog_common.inputs import ascii_pattern, matches_whole, present_text
from blog_common.timestamps import now_iso

# Any case, spelled out as A-Z and a-z rather than left to a flag.
EMAIL_FORMAT = ascii_pattern(r"[\w+\-.]+@[A-Za-z\d-]+(\.[A-Za-z\d-]+)*\.[A-Za-z]+")
DEFAULT_PLAN = "free"
DEFAULT_SOURCE = "web"
# A stand-in for the user service's database, keyed by lower-cased email.
EXISTING_USERS = {
    "existing@example.com": {"id": "user_existing_001", "name": "Existing User", "plan": "free"},
}


class CreateUserAccountHandler(StepHandler):
    """Create the account in the user service; every other service needs its id."""

    handler_name = "microservices.step_handlers.CreateUserAccountHandler"
    handler_version = "1.0.0"

    def call(self, context: StepContext) -> StepHandlerResult:
        user_info = context.get_input_or("user_info", {})
        email = present_text(user_info.get("email"))
        name = present_text(user_info.get("name"))
        if email is None:
            # Returned, not raised: a raised exception would be retried in vain.
            return self.failure(
                "Email is required",
                error_type=ErrorType.VALIDATION_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_EMAIL"},
            )
        if name is None:
            return self.failure(
                "Name is required",
                error_type=ErrorType.VALIDATION_ERROR,
                retryable=False,
                metadata={"error_code": "MISSING_NAME"},
            )
        if not matches_whole(EMAIL_FORMAT, email):
            return self.failure(
                f"Invalid email format: {email!r}",
                error_type=ErrorType.VALIDATION_ERROR,
                retryable=False,
                metadata={"error_code": "INVALID_EMAIL_FORMAT"},
            )
        plan = present_text(user_info.get("plan")) or DEFAULT_PLAN

        # ANCHOR: idempotency
        existing = EXISTING_USERS.get(email.lower())
        if existing is not None:
            # A retry after a lost response finds the account it already made:
            # the same request is a success, a different one a real conflict.
            if existing["name"] == name and existing["plan"] == plan:
                return self.success(
                    {
                        "user_id": existing["id"],
                        "email": email,
                        "name": name,
                        "plan": plan,
                        "status": "already_exists",
                    }
                )
            return self.failure(
                f"{email} is already registered with different details",
                error_type=ErrorType.PERMANENT_ERROR,
                retryable=False,
                metadata={
                    "error_code": "USER_CONFLICT",
                    "context": {"existing_user_id": existing["id"]},
                },
            )
        # ANCHOR_END: idempotency

        return self.success(
            {
                "user_id": hex_id("user_", 12),
                "email": email,
                "name": name,
                "plan": plan,
                "phone": present_text(user_info.get("phone")),
                "source": present_text(user_info.get("source")) or DEFAULT_SOURCE,
                "status": "created",
                "created_at": now_iso(),
            }
        )
        # ANCHOR_END: handler
