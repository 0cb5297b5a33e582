// SPDX-License-Identifier: MIT
// MysqlTxBench.cc - im-mysql-tx: the MariaDB ceiling for /im/send. N threads, one connection each,
// run the statements of fcgi/store/MessageStore's direct send (insert the message RETURNING its id,
// bump both inbox_counters rows, insert both inbox rows RETURNING their seqs, upsert both
// conversation rows: ConversationUpkeep) in one transaction, back to back (closed loop) or at a
// fixed offered rate (open loop, as sends arrive in the stack). Keep them in step with
// MessageStore: the ratio compares the same SQL work. With a BATCH of B > 1 each transaction stores
// B sends with SendBatch's multi-row statements (BatchTx), RATE then offering sends/s. Prints JSON
// with tx/s, sends/s, latency percentiles and the server's innodb_flush_log_at_trx_commit.
#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench/BatchTx.h"
#include "bench/Samples.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string url, user, password, database;
  int threads = 1;
  double seconds = 5;
  uint64_t minUid = 1, maxUid = 1;
  double rate = 0;  // sends/s offered over all threads (transactions/s when batch is 1); 0: back to back
  uint64_t batch = 1;  // sends per transaction
};

struct Worker {
  im::bench::Samples latency;
  uint64_t tx = 0, sends = 0, retries = 0, errors = 0;
};

// The statements of MessageStore::send's direct path, prepared once on `conn`.
class SingleTx {
 public:
  explicit SingleTx(sql::Connection& conn)
      : message_(conn.prepareStatement(
            "INSERT INTO messages (sender_id, recipient_id, group_id, dm_lo, dm_hi, client_msg_id, body, created_at) "
            "VALUES (?, ?, NULL, ?, ?, NULL, ?, UTC_TIMESTAMP(3)) RETURNING id")),
        bump_(conn.prepareStatement("UPDATE inbox_counters SET last_seq = last_seq + 1 WHERE user_id IN (?, ?)")),
        inbox_(conn.prepareStatement(
            "INSERT INTO inbox (user_id, seq, msg_id) SELECT user_id, last_seq, ? FROM inbox_counters "
            "WHERE user_id IN (?, ?) RETURNING user_id, seq")),
        conversations_(conn.prepareStatement(
            "INSERT INTO conversations (user_id, kind, target_id, last_msg_id, unread) "
            "SELECT i.user_id, 'direct', IF(i.user_id = ?, ?, ?), i.msg_id, i.user_id <> ? FROM inbox i "
            "WHERE i.msg_id = ? ON DUPLICATE KEY UPDATE last_msg_id = GREATEST(last_msg_id, VALUES(last_msg_id)), "
            "unread = unread + VALUES(unread)")) {}

  // Inside the connection's open transaction.
  void run(uint64_t from, uint64_t to) {
    message_->setUInt64(1, from);
    message_->setUInt64(2, to);
    message_->setUInt64(3, std::min(from, to));
    message_->setUInt64(4, std::max(from, to));
    message_->setString(5, "bench 0");
    std::unique_ptr<sql::ResultSet> id(message_->executeQuery());
    const uint64_t msgId = id->next() ? id->getUInt64(1) : 0;
    bump_->setUInt64(1, from);
    bump_->setUInt64(2, to);
    bump_->executeUpdate();
    inbox_->setUInt64(1, msgId);
    inbox_->setUInt64(2, from);
    inbox_->setUInt64(3, to);
    std::unique_ptr<sql::ResultSet> rs(inbox_->executeQuery());
    while (rs->next()) {
    }
    conversations_->setUInt64(1, from);
    conversations_->setUInt64(2, to);
    conversations_->setUInt64(3, from);
    conversations_->setUInt64(4, from);
    conversations_->setUInt64(5, msgId);
    conversations_->executeUpdate();
  }

 private:
  std::unique_ptr<sql::PreparedStatement> message_, bump_, inbox_, conversations_;
};

void runWorker(const Options& o, uint64_t index, Clock::time_point begin, sql::Driver* driver,
               const std::atomic<bool>& stop, Worker& w) {
  std::unique_ptr<sql::Connection> conn(driver->connect(o.url, o.user, o.password));
  conn->setSchema(o.database);
  conn->setAutoCommit(false);
  // COMMIT as a statement: Connector/C++ 1.1's commit() ignores the server's answer, which hid
  // every Galera certification failure (they counted as transactions).
  std::unique_ptr<sql::Statement> commit(conn->createStatement());
  SingleTx single(*conn);
  im::bench::BatchTx batched(*conn);
  std::mt19937_64 rng(std::random_device{}());
  std::uniform_int_distribution<uint64_t> pick(o.minUid, o.maxUid);
  std::vector<std::pair<uint64_t, uint64_t>> sends(o.batch);
  for (uint64_t k = 0; !stop.load(std::memory_order_relaxed); ++k) {
    if (o.rate > 0) {  // this thread's k-th transaction is due at (k * threads + index) * batch / rate
      const double dueS = static_cast<double>((k * static_cast<uint64_t>(o.threads) + index) * o.batch) / o.rate;
      std::this_thread::sleep_until(begin + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(dueS)));
    }
    for (auto& s : sends) s = {pick(rng), pick(rng)};
    const auto start = Clock::now();
    try {
      if (o.batch == 1) single.run(sends[0].first, sends[0].second);
      else batched.run(sends);
      commit->execute("COMMIT");
      ++w.tx;
      w.sends += sends.size();
      w.latency.add(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count());
    } catch (const sql::SQLException& e) {
      conn->rollback();
      // 1213 deadlock, 1205 lock wait timeout: MessageStore retries these too.
      if (e.getErrorCode() == 1213 || e.getErrorCode() == 1205) ++w.retries;
      else if (++w.errors < 5) std::cerr << "im-mysql-tx: " << e.what() << "\n";
    }
  }
}

std::string flushSetting(sql::Driver* driver, const Options& o) {
  std::unique_ptr<sql::Connection> conn(driver->connect(o.url, o.user, o.password));
  std::unique_ptr<sql::Statement> stmt(conn->createStatement());
  std::unique_ptr<sql::ResultSet> rs(stmt->executeQuery("SELECT @@innodb_flush_log_at_trx_commit"));
  return rs->next() ? std::string(rs->getString(1)) : "?";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 9 || argc > 11) {
    std::fputs("usage: im-mysql-tx URL USER PASSWORD DATABASE THREADS SECONDS MIN_UID MAX_UID [RATE [BATCH]]\n", stderr);
    return 2;
  }
  Options o{argv[1], argv[2], argv[3], argv[4], std::atoi(argv[5]), std::atof(argv[6]),
            std::strtoull(argv[7], nullptr, 10), std::strtoull(argv[8], nullptr, 10),
            argc >= 10 ? std::atof(argv[9]) : 0.0, argc == 11 ? std::strtoull(argv[10], nullptr, 10) : 1};
  if (o.batch < 1) o.batch = 1;
  sql::Driver* driver = get_driver_instance();
  const std::string flush = flushSetting(driver, o);
  std::vector<Worker> workers(static_cast<size_t>(o.threads));
  std::vector<std::thread> threads;
  std::atomic<bool> stop{false};
  const auto start = Clock::now();
  for (size_t i = 0; i < workers.size(); ++i) {
    driver->threadInit();  // Connector/C++ wants it per thread; calling it here is harmless
    threads.emplace_back([&o, i, start, driver, &stop, &w = workers[i]] {
      driver->threadInit();
      runWorker(o, i, start, driver, stop, w);
      driver->threadEnd();
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
  stop = true;
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  im::bench::Samples all;
  uint64_t tx = 0, sends = 0, retries = 0, errors = 0;
  for (auto& w : workers) {
    all.merge(w.latency);
    tx += w.tx;
    sends += w.sends;
    retries += w.retries;
    errors += w.errors;
  }
  std::cout << "{\"threads\":" << o.threads << ",\"tx\":" << tx << ",\"tx_per_s\":" << static_cast<double>(tx) / elapsed
            << ",\"batch\":" << o.batch << ",\"sends\":" << sends
            << ",\"sends_per_s\":" << static_cast<double>(sends) / elapsed << ",\"offered_per_s\":" << o.rate << ",\"retries\":" << retries << ",\"errors\":" << errors << ",\"innodb_flush_log_at_trx_commit\":" << flush
            << ",\"latency\":" << all.json() << "}" << std::endl;
  return 0;
}
