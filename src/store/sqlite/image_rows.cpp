#include "store/sqlite/image_rows.hpp"

#include <string>
#include <unordered_map>

namespace chattwo::store::sqlite {

chat::Image read_image(const Statement& q) {
  chat::Image image;
  image.id = q.text(0);
  image.uploader_id = q.text(1);
  image.content_type = q.text(2);
  image.width = static_cast<int>(q.integer(3));
  image.height = static_cast<int>(q.integer(4));
  image.bytes = q.integer(5);
  image.thumbnail_content_type = q.text(6);
  image.thumbnail_width = static_cast<int>(q.integer(7));
  image.thumbnail_height = static_cast<int>(q.integer(8));
  image.created_at_ms = q.integer(9);
  return image;
}

namespace {

// The images with these ids, in one query. Image ids are ULIDs (the
// service makes them): no JSON escaping needed.
std::unordered_map<std::string, chat::Image> find_images(Connection& conn, const std::vector<const std::string*>& ids) {
  std::unordered_map<std::string, chat::Image> found;
  if (ids.empty()) return found;
  std::string array = "[";
  for (const std::string* id : ids) {
    if (array.size() > 1) array += ',';
    array += '"';
    array += *id;
    array += '"';
  }
  array += ']';
  static const std::string kFind =
      "SELECT " + std::string(kImageColumns) + " FROM images i WHERE i.id IN (SELECT value FROM json_each(?1))";
  Statement q = conn.prepare(kFind);
  q.bind(1, array);
  while (q.step()) {
    chat::Image image = read_image(q);
    std::string id = image.id;
    found.emplace(std::move(id), std::move(image));
  }
  return found;
}

}  // namespace

void attach_images(Connection& conn, const std::vector<chat::Message*>& messages) {
  std::vector<const std::string*> ids;
  for (const chat::Message* m : messages) {
    if (m->image_id && !m->image) ids.push_back(&*m->image_id);
  }
  const auto found = find_images(conn, ids);
  for (chat::Message* m : messages) {
    if (!m->image_id || m->image) continue;
    if (auto it = found.find(*m->image_id); it != found.end()) m->image = it->second;
  }
}

void attach_avatars(Connection& conn, const std::vector<chat::User*>& users) {
  std::vector<const std::string*> ids;
  for (const chat::User* u : users) {
    if (u->avatar_image_id && !u->avatar) ids.push_back(&*u->avatar_image_id);
  }
  const auto found = find_images(conn, ids);
  for (chat::User* u : users) {
    if (!u->avatar_image_id || u->avatar) continue;
    if (auto it = found.find(*u->avatar_image_id); it != found.end()) u->avatar = it->second;
  }
}

}  // namespace chattwo::store::sqlite
