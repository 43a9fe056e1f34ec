// What a room's screen knows, without the DOM: the messages by seq, the
// caller's sends that are not stored yet, and every member's read mark.
//
// Messages are keyed by seq, so one that arrives twice (a live event and a
// catch-up page, or a retry's answer) is kept once, and order is always seq
// order however they arrived. A stored message of the caller's replaces the
// pending entry with the same clientMsgId.
//
// The unread number beside a message is computed here from the members'
// marks (as the server does: members whose lastReadSeq < seq; 0 for system
// messages), so a `read` event updates every number at once.

export class RoomTimeline {
  constructor(meId) {
    this.meId = meId;
    this.bySeq = new Map();
    this.sorted = null; // cache of the messages in seq order
    this.pending = new Map(); // clientMsgId -> PendingMessage, in send order
    this.marks = new Map(); // userId -> lastReadSeq
    this.hasMoreBefore = true;
    // seq -> blob: URL of the caller's own image, shown instead of fetching
    // the thumbnail just uploaded (no blank flash when the send completes).
    this.localPreviews = new Map();
  }

  get oldestSeq() {
    const list = this.messages();
    return list.length ? list[0].seq : 0;
  }

  get newestSeq() {
    const list = this.messages();
    return list.length ? list[list.length - 1].seq : 0;
  }

  /**
   * The newest seq up to which we hold every message without a hole: where
   * a catch-up must start. (Seqs have no gaps on the server, so a hole here
   * is a message we missed, e.g. one stored while we were offline that is
   * older than a live one that already arrived.)
   */
  get contiguousSeq() {
    const list = this.messages();
    if (!list.length) return 0;
    let seq = list[0].seq;
    for (let i = 1; i < list.length && list[i].seq === seq + 1; i += 1) seq = list[i].seq;
    return seq;
  }

  /** The stored messages in seq order. */
  messages() {
    if (!this.sorted) this.sorted = Array.from(this.bySeq.values()).sort((a, b) => a.seq - b.seq);
    return this.sorted;
  }

  /** Adds stored messages (any order, repeats ignored). Returns how many were new. */
  add(messages) {
    let added = 0;
    for (const message of messages) {
      if (!message || typeof message.seq !== 'number') continue;
      if (message.senderId) this.raiseMark(message.senderId, message.seq); // a sender has read up to their message
      if (message.senderId === this.meId && message.clientMsgId) {
        const pending = this.pending.get(message.clientMsgId);
        if (pending && pending.previewUrl) this.localPreviews.set(message.seq, pending.previewUrl);
        this.pending.delete(message.clientMsgId);
      }
      if (this.bySeq.has(message.seq)) continue;
      this.bySeq.set(message.seq, message);
      added += 1;
    }
    if (added) this.sorted = null;
    return added;
  }

  has(seq) {
    return this.bySeq.has(seq);
  }

  /** Whether a stored message carries this clientMsgId of the caller's. */
  hasClientMsgId(clientMsgId) {
    for (const m of this.bySeq.values()) if (m.senderId === this.meId && m.clientMsgId === clientMsgId) return true;
    return false;
  }

  /**
   * Members as GET /rooms/{id} gives them. A mark never goes back for a
   * member we keep: a `read` event may have arrived while the answer was
   * on its way, and marks only move forward on the server too.
   */
  setMembers(members) {
    const before = this.marks;
    this.marks = new Map(members.map((m) => [m.user.id, Math.max(m.lastReadSeq, before.get(m.user.id) ?? -1)]));
    // A message that came before its sender was known to us still says the
    // sender has read up to it.
    for (const m of this.bySeq.values()) if (m.senderId) this.raiseMark(m.senderId, m.seq);
  }

  /** A `read` event. Returns true when a mark moved. */
  applyRead({userId, lastReadSeq}) {
    return this.raiseMark(userId, lastReadSeq);
  }

  raiseMark(userId, seq) {
    if (!this.marks.has(userId)) return false; // not (or no longer) a member we know of
    if (this.marks.get(userId) >= seq) return false;
    this.marks.set(userId, seq);
    return true;
  }

  /** KakaoTalk's number beside a message: members who have not read it. */
  unreadOf(message) {
    if (message.type === 'system' || this.marks.size === 0) return message.type === 'system' ? 0 : message.unreadCount || 0;
    let n = 0;
    for (const seq of this.marks.values()) if (seq < message.seq) n += 1;
    return n;
  }

  addPending(entry) {
    this.pending.set(entry.clientMsgId, entry);
  }

  removePending(clientMsgId) {
    this.pending.delete(clientMsgId);
  }

  pendingList() {
    return Array.from(this.pending.values());
  }
}
