package org.phare.server.http;

/** An error answered to a client: an HTTP status, a stable code and a precise message. */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String code;

    public ApiError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The JSON body: {@code {"error": {"code": "...", "message": "..."}}}. */
    public record Body(Detail error) {}

    public record Detail(String code, String message) {}

    public Body body() {
        return new Body(new Detail(code, getMessage()));
    }

    /** The HTTP status for a core rejection code. */
    public static int statusOf(String code) {
        return switch (code) {
            case "InvalidParameterValue", "MissingParameter", "InvalidJson" -> 400;
            case "NotFound" -> 404;
            case "Conflict", "IdempotentParameterMismatch", "NoPlan", "LimitExceeded", "LogFormatTooOld", "MembersTooOld" -> 409;
            case "InsufficientCapacity", "FailoverReserve", "AntiAffinity", "NoHosts" -> 409;
            case "Unavailable", "NotLeader", "NoLeader" -> 503;
            default -> 400;
        };
    }
}
