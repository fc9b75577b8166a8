package io.slipway.plugin.localindex;

/** Why an upload is refused (HTTP 400), in one sentence for the client: twine prints it with {@code --verbose}. */
final class Refused extends Exception {

    Refused(String reason) {
        super(reason);
    }
}
