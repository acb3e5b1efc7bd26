# Adopt users closed earlier as one set: <account_id>/<user_id>[,<user_id>...]. Users who are not
# closed are left out of the state with a warning; keep them in user_ids and apply to close them.
terraform import docusign_closed_users.q4_wave 4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21/70000004-0000-4000-8000-000000000004,70000001-0000-4000-8000-000000000001
