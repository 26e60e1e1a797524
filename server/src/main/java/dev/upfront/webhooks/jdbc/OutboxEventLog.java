package dev.upfront.webhooks.jdbc;

import dev.upfront.library.LibraryEvent;
import dev.upfront.library.jdbc.EventLog;
import dev.upfront.webhooks.Outbox;
import dev.upfront.webhooks.Webhooks;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The library's events as webhook deliveries in the outbox, inserted on the writing transaction's connection: an
 * event's rows commit with the change it reports, and vanish with a rolled-back one. The sender is woken after the
 * commit (before it, it could not see the rows).
 */
public final class OutboxEventLog implements EventLog {
    private static final Logger log = LoggerFactory.getLogger(OutboxEventLog.class);
    private final Webhooks webhooks;

    public OutboxEventLog(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public void append(Connection c, LibraryEvent event) throws SQLException {
        List<Outbox.Delivery> deliveries = webhooks.deliveries(event);
        if (!deliveries.isEmpty()) {
            Outbox.Delivery first = deliveries.getFirst();
            JdbcOutbox.insert(c, deliveries, first.createdAt());
            log.info("Event {} {} recorded with its change, for {} webhook endpoint(s)", first.eventType(), first.eventId(),
                    deliveries.size());
        }
    }

    @Override
    public void committed() {
        webhooks.wake();
    }
}
