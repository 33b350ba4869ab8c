package org.phare.server.ec2;

/**
 * A refusal in EC2's shape: its error code (the SDKs map each to an exception) and an HTTP status.
 */
final class Ec2Error extends RuntimeException {
    private final int status;
    private final String code;

    Ec2Error(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static Ec2Error invalid(String message) {
        return new Ec2Error(400, "InvalidParameterValue", message);
    }

    static Ec2Error missing(String parameter) {
        return new Ec2Error(400, "MissingParameter", "The request must contain the parameter " + parameter);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
