package dev.upfront.webhooks.jdbc;

import dev.upfront.db.Database;
import dev.upfront.webhooks.Outbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * {@link Outbox} in the metadata database. A claim is one UPDATE whose WHERE repeats the "due and not held"
 * condition: on PostgreSQL a second instance updating the same row waits for the first and then re-checks that
 * condition on the row as the first left it, so it skips the row; SQLite has a single writer. Either way one
 * delivery is held by one claim at a time.
 */
public final class JdbcOutbox implements Outbox {
    private static final String PENDING = "pending";
    private static final String DUE = "status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)";

    private final Database db;

    public JdbcOutbox(Database db) {
        this.db = db;
    }

    @Override
    public void enqueue(List<Delivery> deliveries, Instant now) {
        if (deliveries.isEmpty()) {
            return;
        }
        db.inTransaction(c -> {
            insert(c, deliveries, now);
            return null;
        });
    }

    /** Stores new deliveries, due at {@code now}, in the open transaction of {@code c} (the one INSERT of the outbox). */
    static void insert(Connection c, List<Delivery> deliveries, Instant now) throws SQLException {
        if (deliveries.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_outbox (delivery_id, event_id, event_type, "
                + "target_url, body, status, attempts, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)")) {
            for (Delivery d : deliveries) {
                ps.setString(1, d.deliveryId());
                ps.setString(2, d.eventId());
                ps.setString(3, d.eventType());
                ps.setString(4, d.targetUrl());
                ps.setString(5, d.body());
                ps.setString(6, PENDING);
                ps.setLong(7, d.createdAt().toEpochMilli());
                ps.setLong(8, now.toEpochMilli());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public List<Delivery> claim(String claim, Instant now, Duration lease, int limit, Targets targets) {
        if (targets.listed() && targets.urls().isEmpty()) {
            return List.of();
        }
        List<String> urls = List.copyOf(targets.urls());
        String which = urls.isEmpty() ? "" : " AND target_url " + (targets.listed() ? "IN" : "NOT IN") + " ("
                + String.join(", ", Collections.nCopies(urls.size(), "?")) + ")";
        long at = now.toEpochMilli();
        int claimed = db.withWriteConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_outbox SET claimed_by = ?, lease_until = ? "
                    + "WHERE delivery_id IN (SELECT delivery_id FROM webhook_outbox WHERE " + DUE + which
                    + " ORDER BY next_attempt_at LIMIT ?) AND " + DUE)) {
                int i = 1;
                ps.setString(i++, claim);
                ps.setLong(i++, at + lease.toMillis());
                ps.setLong(i++, at);
                ps.setLong(i++, at);
                for (String url : urls) {
                    ps.setString(i++, url);
                }
                ps.setInt(i++, limit);
                ps.setLong(i++, at);
                ps.setLong(i, at);
                return ps.executeUpdate();
            }
        });
        if (claimed == 0) {
            return List.of();
        }
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT delivery_id, event_id, event_type, target_url, body, "
                    + "attempts, created_at FROM webhook_outbox WHERE claimed_by = ? AND status = 'pending'")) {
                ps.setString(1, claim);
                List<Delivery> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Delivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getInt(6), Instant.ofEpochMilli(rs.getLong(7))));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void delivered(String deliveryId, String claim, int attempts, String result) {
        finish(deliveryId, claim, attempts, "delivered", null, result);
    }

    @Override
    public void retryAt(String deliveryId, String claim, int attempts, Instant next, String result) {
        finish(deliveryId, claim, attempts, PENDING, next, result);
    }

    @Override
    public void giveUp(String deliveryId, String claim, int attempts, String status, String result) {
        finish(deliveryId, claim, attempts, status, null, result);
    }

    private void finish(String deliveryId, String claim, int attempts, String status, Instant next, String result) {
        db.withWriteConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_outbox SET status = ?, attempts = ?, "
                    + "next_attempt_at = COALESCE(?, next_attempt_at), claimed_by = NULL, lease_until = NULL, last_result = ? "
                    + "WHERE delivery_id = ? AND claimed_by = ?")) {
                ps.setString(1, status);
                ps.setInt(2, attempts);
                if (next == null) {
                    ps.setNull(3, Types.BIGINT);
                } else {
                    ps.setLong(3, next.toEpochMilli());
                }
                ps.setString(4, result);
                ps.setString(5, deliveryId);
                ps.setString(6, claim);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int stopTarget(String targetUrl, String result) {
        return db.withWriteConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_outbox SET status = 'dead', last_result = ? "
                    + "WHERE target_url = ? AND status = 'pending' AND claimed_by IS NULL")) {
                ps.setString(1, result);
                ps.setString(2, targetUrl);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int releaseClaims() {
        return db.withWriteConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_outbox SET claimed_by = NULL, lease_until = NULL "
                    + "WHERE status = 'pending' AND claimed_by IS NOT NULL")) {
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Instant> nextDue() {
        return db.withConnection((Connection c) -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MIN(CASE WHEN lease_until IS NOT NULL "
                    + "AND lease_until > next_attempt_at THEN lease_until ELSE next_attempt_at END) FROM webhook_outbox "
                    + "WHERE status = 'pending'");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                long at = rs.getLong(1);
                return rs.wasNull() ? Optional.<Instant>empty() : Optional.of(Instant.ofEpochMilli(at));
            }
        });
    }

}
