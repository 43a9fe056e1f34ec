#pragma once
// Reading images rows: the columns every image query selects (table alias
// "i"), the Image they make, and filling in the images of image messages.
#include <string_view>
#include <vector>

#include "chat/image.hpp"
#include "chat/message.hpp"
#include "chat/user.hpp"
#include "store/sqlite/database.hpp"
#include "store/sqlite/statement.hpp"

namespace chattwo::store::sqlite {

inline constexpr std::string_view kImageColumns =
    "i.id, i.uploader_id, i.content_type, i.width, i.height, i.bytes, i.thumbnail_content_type,"
    " i.thumbnail_width, i.thumbnail_height, i.created_at";

chat::Image read_image(const Statement& row);

/// Sets `image` on each image message among `messages` from the images
/// table, in one query (a message whose image is gone keeps none).
void attach_images(Connection& conn, const std::vector<chat::Message*>& messages);

/// Sets `avatar` on each user with an avatar_image_id, likewise in one query.
void attach_avatars(Connection& conn, const std::vector<chat::User*>& users);

}  // namespace chattwo::store::sqlite
