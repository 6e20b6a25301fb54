-- Access tokens with idporten:dcr.supplier list the clients their organisation supplies
-- (issue #17): look them up by metadata->>'supplier_orgno' instead of scanning every client.
CREATE INDEX clients_supplier_idx ON clients ((metadata ->> 'supplier_orgno'), client_id)
    WHERE metadata ? 'supplier_orgno';
