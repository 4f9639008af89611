/**
 * Receiver integrations as Alertmanager 0.25 validates them (`config/notifiers.go` and the
 * global defaults in `config/config.go`). Nothing is ever sent, so only what decides
 * acceptance and `send_resolved` matters: each integration's keys (unknown ones are errors,
 * as in Alertmanager's strict decoder), its required fields, and its `send_resolved` default.
 * Nested blocks (`http_config`, `tls_config`, `sigv4`, …) are accepted as mappings without
 * checking their contents — a documented gap.
 */
import type { MapEntry } from "./yaml-tree.js";
import { readString, type Path } from "./read.js";

type Fields = Map<string, MapEntry> | undefined;

/** What the integration checks need of `global`. */
export interface GlobalSettings {
  readonly smtp_smarthost: string;
  readonly smtp_from: string;
  readonly slack_api_url: boolean;
  readonly opsgenie_api_key: boolean;
  readonly victorops_api_key: boolean;
  readonly wechat_api_secret: boolean;
  readonly wechat_api_corp_id: boolean;
}

interface IntegrationSpec {
  readonly keys: readonly string[];
  readonly sendResolved: boolean;
  /** An error message when Alertmanager rejects the block, else undefined. */
  readonly check: (f: Fields, path: Path, g: GlobalSettings) => string | undefined;
}

const s = (f: Fields, k: string, p: Path) => readString(f, k, p);
const has = (f: Fields, k: string) => f?.get(k) !== undefined && !(f.get(k)!.value.t === "scalar" && (f.get(k)!.value as { isNull: boolean }).isNull);

/** Checks an http(s) URL the way Alertmanager's `config.URL` does. */
export function checkUrl(text: string): string | undefined {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return `parse "${text}": invalid URL`;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return `unsupported scheme "${u.protocol.slice(0, -1)}" for URL`;
  if (u.host === "") return "missing host for URL";
  return undefined;
}

function urlField(f: Fields, k: string, p: Path): string | undefined {
  return has(f, k) ? checkUrl(s(f, k, p)) : undefined;
}

export const INTEGRATIONS: Readonly<Record<string, IntegrationSpec>> = {
  webhook_configs: {
    keys: ["send_resolved", "http_config", "url", "max_alerts"],
    sendResolved: true,
    check: (f, p) => (!has(f, "url") ? "missing URL in webhook config" : urlField(f, "url", p)),
  },
  email_configs: {
    keys: [
      "send_resolved",
      "to",
      "from",
      "hello",
      "smarthost",
      "auth_username",
      "auth_password",
      "auth_password_file",
      "auth_secret",
      "auth_identity",
      "headers",
      "html",
      "text",
      "require_tls",
      "tls_config",
    ],
    sendResolved: false,
    check(f, p, g) {
      if (s(f, "to", p) === "") return "missing to address in email config";
      if (s(f, "smarthost", p) === "" && g.smtp_smarthost === "") return "no global SMTP smarthost set";
      if (s(f, "from", p) === "" && g.smtp_from === "") return "no global SMTP from set";
      return undefined;
    },
  },
  pagerduty_configs: {
    keys: [
      "send_resolved",
      "http_config",
      "service_key",
      "service_key_file",
      "routing_key",
      "routing_key_file",
      "url",
      "client",
      "client_url",
      "description",
      "details",
      "images",
      "links",
      "source",
      "severity",
      "class",
      "component",
      "group",
    ],
    sendResolved: true,
    check(f, p) {
      if (["routing_key", "service_key", "routing_key_file", "service_key_file"].every((k) => s(f, k, p) === "")) return "missing service or routing key in PagerDuty config";
      if (s(f, "routing_key", p) !== "" && s(f, "routing_key_file", p) !== "") return "at most one of routing_key & routing_key_file must be configured";
      if (s(f, "service_key", p) !== "" && s(f, "service_key_file", p) !== "") return "at most one of service_key & service_key_file must be configured";
      return urlField(f, "url", p);
    },
  },
  slack_configs: {
    keys: [
      "send_resolved",
      "http_config",
      "api_url",
      "api_url_file",
      "channel",
      "username",
      "color",
      "title",
      "title_link",
      "pretext",
      "text",
      "fields",
      "short_fields",
      "footer",
      "fallback",
      "callback_id",
      "icon_emoji",
      "icon_url",
      "image_url",
      "thumb_url",
      "link_names",
      "mrkdwn_in",
      "actions",
    ],
    sendResolved: false,
    check(f, p, g) {
      if (has(f, "api_url") && s(f, "api_url_file", p) !== "") return "at most one of api_url & api_url_file must be configured";
      if (!has(f, "api_url") && s(f, "api_url_file", p) === "" && !g.slack_api_url) return "no global Slack API URL set either inline or in a file";
      return urlField(f, "api_url", p);
    },
  },
  opsgenie_configs: {
    keys: [
      "send_resolved",
      "http_config",
      "api_key",
      "api_key_file",
      "api_url",
      "message",
      "description",
      "source",
      "details",
      "entity",
      "responders",
      "actions",
      "tags",
      "note",
      "priority",
      "update_alerts",
    ],
    sendResolved: true,
    check(f, p, g) {
      if (s(f, "api_key", p) !== "" && s(f, "api_key_file", p) !== "") return "at most one of api_key & api_key_file must be configured";
      if (s(f, "api_key", p) === "" && s(f, "api_key_file", p) === "" && !g.opsgenie_api_key) return "no global OpsGenie API Key set either inline or in a file";
      return urlField(f, "api_url", p);
    },
  },
  wechat_configs: {
    keys: ["send_resolved", "http_config", "api_secret", "corp_id", "message", "api_url", "to_user", "to_party", "to_tag", "agent_id", "message_type"],
    sendResolved: false,
    check(f, p, g) {
      const t = s(f, "message_type", p);
      if (t !== "" && t !== "text" && t !== "markdown") return `weChat message type "${t}" does not match valid options ^(text|markdown)$`;
      if (s(f, "api_secret", p) === "" && !g.wechat_api_secret) return "no global Wechat ApiSecret set";
      if (s(f, "corp_id", p) === "" && !g.wechat_api_corp_id) return "no global Wechat CorpID set";
      return urlField(f, "api_url", p);
    },
  },
  pushover_configs: {
    keys: ["send_resolved", "http_config", "user_key", "token", "title", "message", "url", "url_title", "sound", "priority", "retry", "expire", "html"],
    sendResolved: true,
    check(f, p) {
      if (s(f, "user_key", p) === "") return "missing user key in Pushover config";
      if (s(f, "token", p) === "") return "missing token in Pushover config";
      return undefined;
    },
  },
  victorops_configs: {
    keys: ["send_resolved", "http_config", "api_key", "api_key_file", "api_url", "routing_key", "message_type", "state_message", "entity_display_name", "monitoring_tool", "custom_fields"],
    sendResolved: true,
    check(f, p, g) {
      if (s(f, "routing_key", p) === "") return "missing Routing key in VictorOps config";
      if (s(f, "api_key", p) !== "" && s(f, "api_key_file", p) !== "") return "at most one of api_key & api_key_file must be configured";
      if (s(f, "api_key", p) === "" && s(f, "api_key_file", p) === "" && !g.victorops_api_key) return "no global VictorOps API Key set";
      return urlField(f, "api_url", p);
    },
  },
  sns_configs: {
    keys: ["send_resolved", "http_config", "api_url", "sigv4", "topic_arn", "phone_number", "target_arn", "subject", "message", "attributes"],
    sendResolved: true,
    check(f, p) {
      const a = s(f, "target_arn", p) === "",
        b = s(f, "topic_arn", p) === "",
        c = s(f, "phone_number", p) === "";
      // Go evaluates `(a != b) != c` — kept literally, quirks included.
      return (a !== b) !== c ? "must provide either a Target ARN, Topic ARN, or Phone Number for SNS config" : undefined;
    },
  },
  telegram_configs: {
    keys: ["send_resolved", "http_config", "api_url", "bot_token", "chat_id", "message", "disable_notifications", "parse_mode"],
    sendResolved: true,
    check(f, p) {
      if (s(f, "bot_token", p) === "") return "missing bot_token on telegram_config";
      const chat = s(f, "chat_id", p);
      if (chat === "" || chat === "0") return "missing chat_id on telegram_config";
      if (!/^[+-]?[0-9]+$/.test(chat)) return `cannot unmarshal !!str \`${chat}\` into int64`;
      const mode = s(f, "parse_mode", p);
      if (!["", "Markdown", "MarkdownV2", "HTML"].includes(mode)) return "unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string";
      return urlField(f, "api_url", p);
    },
  },
  discord_configs: {
    keys: ["send_resolved", "http_config", "webhook_url", "title", "message"],
    sendResolved: true,
    check: (f, p) => (!has(f, "webhook_url") ? "no discord webhook URL provided" : urlField(f, "webhook_url", p)),
  },
  webex_configs: {
    keys: ["send_resolved", "http_config", "api_url", "message", "room_id"],
    sendResolved: true,
    check(f, p) {
      if (s(f, "room_id", p) === "") return "missing room_id on webex_config";
      const http = f?.get("http_config")?.value;
      const auth = http?.t === "map" ? http.entries.find((e) => e.key === "authorization") : undefined;
      if (auth === undefined || (auth.value.t === "scalar" && auth.value.isNull)) return "missing webex_configs.http_config.authorization";
      return urlField(f, "api_url", p);
    },
  },
};
