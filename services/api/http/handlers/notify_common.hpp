#pragma once

#include <Poco/JSON/Array.h>

#include <vector>

#include "notification.hpp"

/// What other groups use of the notification handlers (notifications.cpp): the support
/// lookup shows a client's contacts.
namespace onboard::http::notify_common {

Poco::JSON::Array::Ptr ContactsJson(const std::vector<domain::NotificationContact>& cs);

}  // namespace onboard::http::notify_common
