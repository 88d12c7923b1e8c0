package org.pvlifecycle.projection.api;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A browser's {@code EventSource} cannot set headers: on the event stream, a token may come as
 * {@code ?access_token=} instead, which is moved into the Authorization header before
 * authentication. Other paths take the header only, as everywhere else.
 */
@ApplicationScoped
public class BrowserTokenFilter {

    void install(@Observes Router router) {
        router.route("/streams/*").order(Integer.MIN_VALUE).handler(rc -> {
            String token = rc.request().getParam("access_token");
            if (token != null && !token.isBlank() && rc.request().getHeader("Authorization") == null) {
                rc.request().headers().set("Authorization", "Bearer " + token);
            }
            rc.next();
        });
    }
}
