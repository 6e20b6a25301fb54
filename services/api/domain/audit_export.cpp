#include "audit_export.hpp"

#include <ctime>

#include "log_line.hpp"

namespace onboard::domain {

namespace {

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
  std::string out;
  AppendRfc3339FromMicros(out, us);
  return out;
}

void AppendRfc3339FromMicros(std::string& out, int64_t us) {
  // Digits by hand (an export formats a million of these): Howard Hinnant's
  // civil_from_days for the date, no gmtime_r or printf.
  int64_t secs = us / 1000000;
  int64_t frac = us % 1000000;
  if (frac < 0) {
    frac += 1000000;
    --secs;
  }
  int64_t days = secs / 86400;
  int64_t sod = secs % 86400;
  if (sod < 0) {
    sod += 86400;
    --days;
  }
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = static_cast<int64_t>(yoe) + era * 400 + (month <= 2);
  if (year < 0 || year > 9999) {
    // Outside what four digits hold: the C library's formatting, as before.
    const std::time_t t = static_cast<std::time_t>(secs);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<long long>(frac));
    out += buf;
    return;
  }
  char buf[27];
  auto put = [&buf](int pos, int64_t value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      buf[pos + i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(0, year, 4);
  buf[4] = '-';
  put(5, month, 2);
  buf[7] = '-';
  put(8, day, 2);
  buf[10] = 'T';
  put(11, sod / 3600, 2);
  buf[13] = ':';
  put(14, sod / 60 % 60, 2);
  buf[16] = ':';
  put(17, sod % 60, 2);
  buf[19] = '.';
  put(20, frac, 6);
  buf[26] = 'Z';
  out.append(buf, sizeof buf);
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
    if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !Digits(s, 11, 2, h) || s.size() < 19 ||
        s[13] != ':' || !Digits(s, 14, 2, mi) || s[16] != ':' || !Digits(s, 17, 2, sec)) {
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
      if (pos + 6 != s.size() || !Digits(s, pos + 1, 2, oh) || s[pos + 3] != ':' ||
          !Digits(s, pos + 4, 2, om)) {
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
  log::AppendJsonEscaped(out, s, /*trusted_utf8=*/true);
  out.push_back('"');
}

void AppendCsvField(std::string& out, std::string_view value) {
  const bool formula = !value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' ||
                                          value[0] == '@' || value[0] == '\t' || value[0] == '\r');
  // One pass over the bytes (find_first_of with a set calls memchr once per byte).
  bool quote = false;
  for (char c : value) {
    if (c == ',' || c == '"' || c == '\r' || c == '\n') {
      quote = true;
      break;
    }
  }
  if (!quote && !formula) {
    out.append(value);
    return;
  }
  if (quote) out.push_back('"');
  if (formula) out.push_back('\'');
  // Runs between quotes in one append each, every quote doubled.
  std::size_t from = 0;
  while (from < value.size()) {
    const std::size_t q = value.find('"', from);
    if (q == std::string_view::npos) {
      out.append(value.substr(from));
      break;
    }
    out.append(value.substr(from, q + 1 - from));
    out.push_back('"');
    from = q + 1;
  }
  if (quote) out.push_back('"');
}

std::string_view AuditCsvHeader() {
  return "seq,occurred_at,actor,role,portal_user,request_id,source_ip,organisation,action,target_"
         "type,target_id,"
         "outcome,detail,prev_hash,hash\r\n";
}

std::array<std::string_view, 13> AuditTextColumns(const SealedAuditEvent& e) {
  return {e.event.actor.name,
          e.event.actor.role,
          e.event.actor.portal_user,
          e.event.actor.request_id,
          e.event.actor.source_ip,
          e.event.organisation,
          e.event.action,
          e.event.target_type,
          e.event.target_id,
          e.event.outcome,
          e.event.detail_json,
          e.prev_hash,
          e.hash};
}

void AppendAuditCsv(std::string& out, const SealedAuditEvent& e) {
  out += std::to_string(e.seq);
  out.push_back(',');
  AppendRfc3339FromMicros(out, e.occurred_at_us);
  for (std::string_view f : AuditTextColumns(e)) {
    out.push_back(',');
    AppendCsvField(out, f);
  }
  out += "\r\n";
}

void AppendAuditJson(std::string& out, const SealedAuditEvent& e) {
  out += "{\"seq\":";
  out += std::to_string(e.seq);
  out += ",\"occurred_at\":\"";
  AppendRfc3339FromMicros(out, e.occurred_at_us);
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
  out +=
      e.event.detail_json.empty() ? std::string_view("{}") : std::string_view(e.event.detail_json);
  out += ",\"prev_hash\":\"";
  out += e.prev_hash;
  out += "\",\"hash\":\"";
  out += e.hash;
  out += "\"}";
}

}  // namespace onboard::domain
