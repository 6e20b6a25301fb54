INSERT INTO deliveries (id, client_id, secret_id, organisation, order_id, environment, channel, mobile, email,
                        package_kek_id, package, package_state, package_expires_at, email_state, sms_state,
                        created_by)
VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5::uuid, $6, $7, $8, $9, $10, $11::bytea, 'built',
        to_timestamp($12::bigint), $13, 'queued', $14)
