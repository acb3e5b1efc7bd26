locals {
  consumption = { for a in data.docusign_consumption.cycle.accounts : a.account_id => a }
  seats_rows = [
    for a in data.docusign_subscriptions.org.accounts : format("  %-15s %-29s %4d / %-4d %8d   %5d / %-9s %s",
      a.account_name, a.plan_name, a.seats_in_use, a.seats_allowed,
      local.consumption[a.account_id].envelopes_sent,
      local.consumption[a.account_id].billing_period_envelopes_sent,
      local.consumption[a.account_id].billing_period_envelopes_allowed == null ? "unlimited" : tostring(local.consumption[a.account_id].billing_period_envelopes_allowed),
      local.consumption[a.account_id].percent_used == null ? "" : format("%.0f%%", local.consumption[a.account_id].percent_used),
    )
  ]
  account_names = { for a in data.docusign_subscriptions.org.accounts : a.account_id => a.account_name }
  leaver_rows = [
    for email, u in docusign_closed_user.leaver : format("  %-30s %-38s %s",
      email, u.user_id, lookup(local.account_names, u.account_id, u.account_id),
    )
  ]
}

output "summary" {
  description = "A readable table of seats and consumption per account, and the leavers closed."
  value       = <<-EOT
    Organization ${docusign_integration_profile.org.organization_id}, renewal cycle ${docusign_integration_profile.org.current_period_start} .. ${docusign_integration_profile.org.current_period_end}

      Account         Plan                          Seats used  Envelopes  Billing period (sent / allowed)
                                                                this cycle
    ${join("\n", local.seats_rows)}

    Subscriptions: ${data.docusign_subscriptions.org.total} total, ${data.docusign_subscriptions.org.excluded_count} excluded by rules, ${data.docusign_subscriptions.org.counted} counted
    Plans not in the organization's plan items: ${length(data.docusign_subscriptions.org.unrecognized_identifiers) == 0 ? "none" : join(", ", data.docusign_subscriptions.org.unrecognized_identifiers)}
    Envelopes sent this cycle: ${data.docusign_consumption.cycle.total_envelopes_sent}

    Leavers closed:
      Email                          User ID                                Closed in account
    ${join("\n", local.leaver_rows)}
  EOT
}
