#pragma once
// A tiny HTTP/1.1 file server on 127.0.0.1 for download tests: serves in-memory files, honours
// "Range: bytes=N-" with 206 (unless ranges are disabled) and records the Range headers it saw.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace fg::data::testing {

class LoopbackServer {
 public:
  explicit LoopbackServer(std::map<std::string, std::string> files, bool ranges = true)
      : files_(std::move(files)), ranges_(ranges) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || ::listen(fd_, 8) != 0)
      throw std::runtime_error("loopback server: bind/listen failed");
    socklen_t len = sizeof(addr);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~LoopbackServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<std::string> ranges_seen() {
    std::lock_guard lock(mutex_);
    return ranges_seen_;
  }
  int requests() const { return requests_; }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) continue;
      handle(client);
      ::close(client);
    }
  }
  void handle(int client) {
    std::string request;
    char buf[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
      ssize_t n = ::recv(client, buf, sizeof(buf), 0);
      if (n <= 0) return;
      request.append(buf, static_cast<size_t>(n));
    }
    ++requests_;
    size_t sp1 = request.find(' '), sp2 = request.find(' ', sp1 + 1);
    std::string path = request.substr(sp1 + 1, sp2 - sp1 - 1);
    int64_t from = 0;
    if (size_t r = request.find("Range: bytes="); r != std::string::npos) {
      std::string range = request.substr(r + 13, request.find("\r\n", r) - r - 13);
      {
        std::lock_guard lock(mutex_);
        ranges_seen_.push_back(range);
      }
      if (ranges_) from = std::stoll(range);
    }
    auto it = files_.find(path);
    std::string head, body;
    if (it == files_.end()) {
      head = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n";
    } else if (from > static_cast<int64_t>(it->second.size())) {
      head = "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Length: 0\r\n";
    } else {
      body = it->second.substr(static_cast<size_t>(from));
      head = from > 0 ? "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " +
                            std::to_string(from) + "-" + std::to_string(it->second.size() - 1) +
                            "/" + std::to_string(it->second.size()) + "\r\n"
                      : "HTTP/1.1 200 OK\r\n";
      head += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    std::string response = head + "Connection: close\r\n\r\n" + body;
    size_t sent = 0;
    while (sent < response.size()) {
      ssize_t n = ::send(client, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<size_t>(n);
    }
  }

  std::map<std::string, std::string> files_;
  bool ranges_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::mutex mutex_;
  std::vector<std::string> ranges_seen_;
  std::thread thread_;
};

}  // namespace fg::data::testing
