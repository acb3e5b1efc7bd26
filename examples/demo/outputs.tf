locals {
  consumption = { for a in data.docusign_consumption.cycle.accounts : a.account_id => a }
  # An account the impersonated user is no member of has null eSignature figures (and a warning).
  allowance = { for id, a in local.consumption : id => (
    a.envelope_allowance == null ? "n/a" :
    a.envelope_allowance == "limited" ? tostring(a.billing_period_envelopes_allowed) :
    replace(a.envelope_allowance, "_", " ")
  ) }
  seats_rows = [
    for a in data.docusign_subscriptions.org.accounts : format("  %-16s %-29s %4d / %-4s %8s   %5s / %-12s %s",
      a.account_name, a.plan_name, a.seats_in_use, a.seats_allowed == null ? "n/a" : tostring(a.seats_allowed),
      local.consumption[a.account_id].envelopes_sent == null ? "n/a" : tostring(local.consumption[a.account_id].envelopes_sent),
      local.consumption[a.account_id].billing_period_envelopes_sent == null ? "n/a" : tostring(local.consumption[a.account_id].billing_period_envelopes_sent),
      local.allowance[a.account_id],
      local.consumption[a.account_id].percent_used == null ? "" : format("%.0f%%", local.consumption[a.account_id].percent_used),
    )
  ]
  unreadable    = [for a in data.docusign_consumption.cycle.accounts : a.account_name if !a.esignature_reachable]
  account_names = { for a in data.docusign_subscriptions.org.accounts : a.account_id => a.account_name }
  # Idle seats and what reclaiming them would free, per account (summed over its plans).
  reclaim = {
    for a in data.docusign_subscriptions.org.accounts : a.account_id => {
      counted         = sum(concat([0], [for r in data.docusign_subscriptions.org.reclaimable_seats : r.seats_in_use if r.account_id == a.account_id]))
      idle            = sum(concat([0], [for r in data.docusign_subscriptions.org.reclaimable_seats : r.reclaimable_seats if r.account_id == a.account_id]))
      unknown         = sum(concat([0], [for r in data.docusign_subscriptions.org.reclaimable_seats : r.unknown_activity if r.account_id == a.account_id]))
      monitor_idle    = sum(concat([0], [for r in data.docusign_subscriptions.org_monitor.reclaimable_seats : r.reclaimable_seats if r.account_id == a.account_id]))
      monitor_unknown = sum(concat([0], [for r in data.docusign_subscriptions.org_monitor.reclaimable_seats : r.unknown_activity if r.account_id == a.account_id]))
    }
  }
  reclaim_rows = [
    for a in data.docusign_subscriptions.org.accounts : format("  %-16s %4d / %-4s %8d %6d %8d %6d %8d   %4d / %-4s %s",
      a.account_name, a.seats_in_use, a.seats_allowed == null ? "n/a" : tostring(a.seats_allowed),
      a.seats_in_use - local.reclaim[a.account_id].counted, local.reclaim[a.account_id].idle, local.reclaim[a.account_id].unknown,
      local.reclaim[a.account_id].monitor_idle, local.reclaim[a.account_id].monitor_unknown,
      a.seats_in_use - local.reclaim[a.account_id].idle, a.seats_allowed == null ? "n/a" : tostring(a.seats_allowed),
      a.seats_allowed == null ? "" : (a.seats_in_use > a.seats_allowed ? (a.seats_in_use - local.reclaim[a.account_id].idle <= a.seats_allowed ? "back under the allowance" : "still over") : ""),
    )
  ]
  candidate_rows = [
    for c in data.docusign_subscriptions.org.reclaim_candidates : format("  %-16s %-30s %-12s %s",
      lookup(local.account_names, c.account_id, c.account_id), c.email,
      c.last_activity == null ? "never" : substr(c.last_activity, 0, 10), "${c.idle_days} days idle",
    )
  ]
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

      Account          Plan                          Seats used  Envelopes  Billing period (sent / allowed)
                                                                 this cycle
    ${join("\n", local.seats_rows)}

    Subscriptions: ${data.docusign_subscriptions.org.total} total, ${data.docusign_subscriptions.org.excluded_count} excluded by rules, ${data.docusign_subscriptions.org.counted} counted
    Plans not in the organization's plan items: ${length(data.docusign_subscriptions.org.unrecognized_identifiers) == 0 ? "none" : join(", ", data.docusign_subscriptions.org.unrecognized_identifiers)}
    Envelopes sent this cycle: ${data.docusign_consumption.cycle.total_envelopes_sent == null ? "unknown" : tostring(data.docusign_consumption.cycle.total_envelopes_sent)}
    Not readable through eSignature (n/a above; see the warnings): ${length(local.unreadable) == 0 ? "none" : join(", ", local.unreadable)}

    Idle seats: no activity for ${var.idle_after_days} days. eSignature reads last logins where the admin is a member;
    Monitor reads logins and envelopes sent across the organization. Reclaiming uses the eSignature list.
                                             eSignature      Monitor
      Account          Seats used  Excluded  Idle  Unknown   Idle  Unknown   After reclaiming
    ${join("\n", local.reclaim_rows)}

    Reclaim candidates (a person approves them into a leavers list; docusign_closed_users closes them):
      Account          Email                          Last active
    ${join("\n", local.candidate_rows)}

    Leavers closed:
      Email                          User ID                                Closed in account
    ${join("\n", local.leaver_rows)}
  EOT
}
