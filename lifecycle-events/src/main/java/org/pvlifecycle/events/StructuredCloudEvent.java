package org.pvlifecycle.events;

import java.time.Instant;

/**
 * An event in the CloudEvents 1.0 JSON format (structured mode), as the REST API shows events:
 * the attributes and extensions at the top level, the payload under {@code data}.
 */
public record StructuredCloudEvent(
        String specversion,
        String id,
        String source,
        String type,
        String subject,
        Instant time,
        String datacontenttype,
        long sequence,
        String actor,
        LifecycleEvent data) {

    public static StructuredCloudEvent of(EventEnvelope<? extends LifecycleEvent> e) {
        return new StructuredCloudEvent(EventEnvelope.SPEC_VERSION, e.id().toString(), e.source(),
                e.type().typeName(), e.subject(), e.time(), EventEnvelope.DATA_CONTENT_TYPE, e.sequence(), e.actor(),
                e.data());
    }
}
