#include "audit_export.hpp"

#include <ctime>

namespace onboard::domain {

namespace {
constexpr char kHex[] = "0123456789abcdef";

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  // Howard Hinnant's days_from_civil.
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool Digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}
}  // namespace

std::string Rfc3339FromMicros(int64_t us) {
  int64_t secs = us / 1000000;
  int64_t frac = us % 1000000;
  if (frac < 0) {
    frac += 1000000;
    --secs;
  }
  const std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(frac));
  return buf;
}

bool ParseRfc3339Micros(std::string_view s, int64_t& us) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!Digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
      !Digits(s, 8, 2, d)) {
    return false;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return false;
  int64_t frac_us = 0;
  int64_t offset_s = 0;
  if (s.size() > 10) {
    if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !Digits(s, 11, 2, h) || s.size() < 19 || s[13] != ':' ||
        !Digits(s, 14, 2, mi) || s[16] != ':' || !Digits(s, 17, 2, sec)) {
      return false;
    }
    if (h > 23 || mi > 59 || sec > 60) return false;
    std::size_t pos = 19;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      int n = 0;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (n < 6) frac_us = frac_us * 10 + (s[pos] - '0');
        ++n;
        ++pos;
      }
      if (n == 0) return false;
      for (int i = n; i < 6; ++i) frac_us *= 10;
    }
    if (pos >= s.size()) return false;
    if (s[pos] == 'Z' || s[pos] == 'z') {
      if (pos + 1 != s.size()) return false;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int oh = 0, om = 0;
      if (pos + 6 != s.size() || !Digits(s, pos + 1, 2, oh) || s[pos + 3] != ':' || !Digits(s, pos + 4, 2, om)) {
        return false;
      }
      offset_s = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
    } else {
      return false;
    }
  }
  const int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  us = ((days * 86400 + h * 3600 + mi * 60 + sec) - offset_s) * 1000000 + frac_us;
  return true;
}

void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

void AppendCsvField(std::string& out, std::string_view value) {
  const bool formula = !value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' ||
                                            value[0] == '\t' || value[0] == '\r');
  const bool quote = value.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote && !formula) {
    out.append(value);
    return;
  }
  if (quote) out.push_back('"');
  if (formula) out.push_back('\'');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  if (quote) out.push_back('"');
}

std::string_view AuditCsvHeader() {
  return "seq,occurred_at,actor,role,portal_user,request_id,source_ip,organisation,action,target_type,target_id,"
         "outcome,detail,prev_hash,hash\r\n";
}

void AppendAuditCsv(std::string& out, const SealedAuditEvent& e) {
  out += std::to_string(e.seq);
  out.push_back(',');
  out += Rfc3339FromMicros(e.occurred_at_us);
  const std::string_view fields[] = {e.event.actor.name,       e.event.actor.role,      e.event.actor.portal_user,
                                     e.event.actor.request_id, e.event.actor.source_ip, e.event.organisation,
                                     e.event.action,           e.event.target_type,     e.event.target_id,
                                     e.event.outcome,          e.event.detail_json,     e.prev_hash,
                                     e.hash};
  for (std::string_view f : fields) {
    out.push_back(',');
    AppendCsvField(out, f);
  }
  out += "\r\n";
}

void AppendAuditJson(std::string& out, const SealedAuditEvent& e) {
  out += "{\"seq\":";
  out += std::to_string(e.seq);
  out += ",\"occurred_at\":\"";
  out += Rfc3339FromMicros(e.occurred_at_us);
  out += "\",\"actor\":";
  AppendJsonString(out, e.event.actor.name);
  out += ",\"role\":";
  AppendJsonString(out, e.event.actor.role);
  out += ",\"portal_user\":";
  AppendJsonString(out, e.event.actor.portal_user);
  out += ",\"request_id\":";
  AppendJsonString(out, e.event.actor.request_id);
  out += ",\"source_ip\":";
  AppendJsonString(out, e.event.actor.source_ip);
  out += ",\"organisation\":";
  AppendJsonString(out, e.event.organisation);
  out += ",\"action\":";
  AppendJsonString(out, e.event.action);
  out += ",\"target_type\":";
  AppendJsonString(out, e.event.target_type);
  out += ",\"target_id\":";
  AppendJsonString(out, e.event.target_id);
  out += ",\"outcome\":";
  AppendJsonString(out, e.event.outcome);
  out += ",\"detail\":";
  // The column holds JSON that PostgreSQL checked on insert (audit_events_detail_json).
  out += e.event.detail_json.empty() ? std::string_view("{}") : std::string_view(e.event.detail_json);
  out += ",\"prev_hash\":\"";
  out += e.prev_hash;
  out += "\",\"hash\":\"";
  out += e.hash;
  out += "\"}";
}

}  // namespace onboard::domain
