SELECT orgno
FROM organisations
WHERE orgno = $1
FOR NO KEY UPDATE
