package dev.upfront.webhooks.jdbc;

import dev.upfront.library.LibraryEvent;
import dev.upfront.library.jdbc.EventLog;
import dev.upfront.webhooks.Outbox;
import dev.upfront.webhooks.Webhooks;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The library's events as webhook deliveries in the outbox, inserted on the writing transaction's connection: an
 * event's rows commit with the change it reports, and vanish with a rolled-back one. The sender is woken after the
 * commit (before it, it could not see the rows).
 */
public final class OutboxEventLog implements EventLog {
    private final Webhooks webhooks;

    public OutboxEventLog(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public void append(Connection c, LibraryEvent event) throws SQLException {
        List<Outbox.Delivery> deliveries = webhooks.deliveries(event);
        if (!deliveries.isEmpty()) {
            JdbcOutbox.insert(c, deliveries, deliveries.getFirst().createdAt());
        }
    }

    @Override
    public void committed() {
        webhooks.wake();
    }
}
