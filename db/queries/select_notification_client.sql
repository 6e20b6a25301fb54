-- What a message says about client $1.
SELECT client_id, client_name, environment, organisation, state FROM clients WHERE client_id = $1::uuid
