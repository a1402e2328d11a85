/**
 * Celery protocol v2's codec: {@link dev.taskqueue.internal.protocol.ProtocolV2} maps a
 * {@link dev.taskqueue.protocol.TaskMessage} to headers and body and back, checking what it reads; the compact
 * header map it writes is package-private.
 * <p>
 * Internal: public only for {@link dev.taskqueue.serialization.TaskMessageConverter}, with no compatibility
 * promise; applications and transports convert messages with the converter. It lives here rather than in
 * {@code protocol}, whose types transports share, because only the converter uses it.
 */
@NullMarked
package dev.taskqueue.internal.protocol;

import org.jspecify.annotations.NullMarked;
