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

void attach_images(Connection& conn, const std::vector<chat::Message*>& messages) {
  // Image ids are ULIDs (the service makes them): no JSON escaping needed.
  std::string ids = "[";
  for (const chat::Message* m : messages) {
    if (!m->image_id || m->image) continue;
    if (ids.size() > 1) ids += ',';
    ids += '"';
    ids += *m->image_id;
    ids += '"';
  }
  if (ids.size() == 1) return;
  ids += ']';
  static const std::string kFind =
      "SELECT " + std::string(kImageColumns) + " FROM images i WHERE i.id IN (SELECT value FROM json_each(?1))";
  Statement q = conn.prepare(kFind);
  q.bind(1, ids);
  std::unordered_map<std::string, chat::Image> found;
  while (q.step()) {
    chat::Image image = read_image(q);
    std::string id = image.id;
    found.emplace(std::move(id), std::move(image));
  }
  for (chat::Message* m : messages) {
    if (!m->image_id || m->image) continue;
    if (auto it = found.find(*m->image_id); it != found.end()) m->image = it->second;
  }
}

}  // namespace chattwo::store::sqlite
