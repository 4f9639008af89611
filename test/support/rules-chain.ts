/**
 * A small rule file, the Alertmanager configuration it feeds and a gate config chaining them
 * (`prometheus_rules.alertmanager`), shared by the CLI and Action end-to-end tests; the rules read
 * the WRCCDC DNS window (policies/prometheus/windows/wrccdc-dns).
 */

/** The DNS failure-ratio rule, paging, with its threshold and `for`. */
export const DNS_RULES = (threshold: string, forDur = "30s") => `groups:
  - name: dns
    interval: 15s
    rules:
      - record: server_group:dns_failures:ratio
        expr: sum by (server_group) (zeek_dns_log_rows_per_15s{rcode_name=~"no_response|SERVFAIL"}) / sum by (server_group) (zeek_dns_log_rows_per_15s)
      - alert: DnsFailureRatioHigh
        expr: server_group:dns_failures:ratio > ${threshold}
        for: ${forDur}
        labels:
          severity: page
`;

/** Pages (severity="page") go to `pageTo`; everything else to chat. */
export const ALERTMANAGER = (pageTo: string) => `route:
  receiver: chat
  group_by: [alertname]
  group_wait: 30s
  group_interval: 1m
  routes:
    - matchers: ['severity="page"']
      receiver: ${pageTo}
receivers:
  - name: chat
    webhook_configs: [{ url: "http://chat.example/hook" }]
  - name: dns-pager
    pagerduty_configs: [{ routing_key: "x" }]
`;

/** Rule files under rules/, windows under windows/, the rules chained into alertmanager/alertmanager.yml. */
export const CHAIN_CONFIG = `policies: [rules/*.yaml]
windows: [windows/*]
thresholds:
  min_parity: 0
  max_added_incidents: 5
  max_removed_incidents: 5
prometheus_rules:
  alertmanager: alertmanager/alertmanager.yml
`;
