#include "app/services.hpp"

#include "media/fs/fs_blob_store.hpp"
#include "media/s3/s3_blob_store.hpp"

namespace chattwo::app {

std::unique_ptr<chat::BlobStore> make_blob_store(const ops::ImageStoreSettings& settings, chat::Clock& clock) {
  if (settings.store == ops::BlobStoreKind::fs) return std::make_unique<media::fs::FsBlobStore>(media::fs::FsBlobStoreSettings{settings.dir});
  media::s3::S3BlobStoreSettings s3;
  s3.endpoint = settings.s3.endpoint;
  s3.region = settings.s3.region;
  s3.bucket = settings.s3.bucket;
  s3.access_key_id = settings.s3.access_key_id;
  s3.secret_access_key = settings.s3.secret_access_key;
  s3.path_style = settings.s3.path_style;
  s3.presign_expiry = settings.s3.presign_expiry;
  s3.cloudfront_url = settings.s3.cloudfront_url;
  return std::make_unique<media::s3::S3BlobStore>(std::move(s3), clock);
}

Services::Services(const ServicesSettings& settings, chat::Clock& clock, chat::IdGenerator& ids,
                   ops::Registry& metrics, ops::Health& health)
    : db(settings.database, clock.now_ms()),
      users(db),
      sessions(db),
      image_store(db),
      hasher(settings.argon2),
      throttle(settings.login_throttle),
      accounts(users, sessions, hasher, secrets, clock, ids, throttle, chat::AccountSettings{}, &image_store),
      request_auth(accounts, secrets, settings.https),
      room_store(db),
      message_store(db),
      write_batch(db),
      rooms(room_store, users, clock, ids),
      send_limiter(settings.max_send_rate),
      messaging(message_store, clock, ids, &send_limiter, &image_store),
      room_list_events(bus, accounts),
      room_lists(room_store, room_list_events, settings.room_list_window),
      room_events(bus, &room_lists),
      directory(users),
      notification_store(db),
      notification_events(bus),
      notifications(notification_store, users, notification_events, clock, ids),
      friend_store(db),
      friends(friend_store, users, notifications, write_batch, clock),
      blobs(make_blob_store(settings.images, clock)),
      image_processor(chat::ImageLimits{}),
      images(image_store, *blobs, image_processor, clock, ids, chat::ImageServiceSettings{settings.upload_work_dir}),
      context{accounts,    request_auth, clock,   health,        metrics,    settings.max_json_body_bytes,
              rooms,       messaging,    room_events, bus,       directory,  friends,
              notifications, write_batch, images, settings.upload_work_dir} {
  health.add_check("database", [this] { return db.ping(); });
  auto& commits = metrics.counter("chattwo_db_commits_total", "Group commits (transactions) of the database's writer.");
  auto& writes = metrics.counter("chattwo_db_committed_writes_total", "Writes carried by those commits.");
  auto& busy = metrics.counter("chattwo_db_writer_busy_microseconds_total",
                               "Time the single writer spent in batches; its rate is the writer's utilisation.");
  metrics.sample([this, &commits, &writes, &busy] {
    commits.advance_to(db.batches());
    writes.advance_to(db.batched_writes());
    busy.advance_to(db.batch_nanoseconds() / 1000);
  });
}

}  // namespace chattwo::app
