// A tiny HTTP server on 127.0.0.1 for the "no network" tests: it answers every request with
// one fixed body (200, Connection: close) and counts the connections it accepted, so a test
// can prove that opening a file made no request at all. No external network is involved: the
// port is chosen by the kernel (bind to port 0) and only the loopback interface is used.
#pragma once
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace limes_test {

/** A GeoJSON of one incident, event_id, for a server to answer with. */
inline std::string one_incident_geojson(const std::string& event_id) {
    return "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
           "{\"event_id_cnty\":\"" +
           event_id +
           "\",\"event_date\":\"2022-09-13\",\"event_type\":\"Battles\","
           "\"reported_by\":\"Synthetic Monitor\"},\"geometry\":{\"type\":\"Point\","
           "\"coordinates\":[46.34,39.51]}}]}";
}

class LocalHttpServer {
  public:
    explicit LocalHttpServer(std::string body) : body_(std::move(body)) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd_ < 0) throw std::runtime_error("socket");
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        socklen_t len = sizeof addr;
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
            ::listen(fd_, 16) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
            throw std::runtime_error("bind/listen on 127.0.0.1");
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~LocalHttpServer() {
        stop_ = true;
        thread_.join();
        ::close(fd_);
    }
    LocalHttpServer(const LocalHttpServer&) = delete;
    LocalHttpServer& operator=(const LocalHttpServer&) = delete;

    int port() const { return port_; }
    /** "http://127.0.0.1:PORT" + path. */
    std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }
    /** Connections accepted so far (each request of curl or anything else). */
    int connections() const { return connections_.load(); }
    /** The first line of each request received ("GET /x.geojson HTTP/1.1"). */
    std::vector<std::string> requests() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return requests_;
    }

  private:
    void serve() {
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 20) <= 0) continue;
            const int c = ::accept(fd_, nullptr, nullptr);
            if (c < 0) continue;
            ++connections_;
            std::string request;
            char buf[4096];
            // Read the request head (or give up after ~1 s of silence).
            for (int waited = 0; request.find("\r\n\r\n") == std::string::npos && waited < 50;) {
                pollfd q{c, POLLIN, 0};
                if (::poll(&q, 1, 20) <= 0) {
                    ++waited;
                    continue;
                }
                const ssize_t n = ::read(c, buf, sizeof buf);
                if (n <= 0) break;
                request.append(buf, static_cast<std::size_t>(n));
            }
            {
                std::lock_guard<std::mutex> lock(mutex_);
                requests_.push_back(request.substr(0, request.find("\r\n")));
            }
            const bool head = request.compare(0, 5, "HEAD ") == 0;
            const std::string reply =
                "HTTP/1.1 200 OK\r\nContent-Type: application/geo+json\r\n"
                "Content-Length: " +
                std::to_string(body_.size()) + "\r\nConnection: close\r\n\r\n" +
                (head ? "" : body_);
            for (std::size_t sent = 0; sent < reply.size();) {
                const ssize_t n = ::send(c, reply.data() + sent, reply.size() - sent, MSG_NOSIGNAL);
                if (n <= 0) break;
                sent += static_cast<std::size_t>(n);
            }
            ::close(c);
        }
    }

    std::string body_;
    int fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> connections_{0};
    mutable std::mutex mutex_;
    std::vector<std::string> requests_;
    std::thread thread_;
};

}  // namespace limes_test
