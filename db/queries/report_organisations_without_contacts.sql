-- Organisations with no notification contact at all (neither their own nor a client's), with
-- the number of their clients that are not deactivated.
SELECT o.orgno, o.name,
  (SELECT count(*) FROM clients c WHERE c.organisation = o.orgno AND c.state <> 'deactivated'),
  rfc3339(o.created_at)
FROM organisations o
WHERE NOT EXISTS (SELECT 1 FROM notification_contacts n WHERE n.organisation = o.orgno)
ORDER BY o.orgno
