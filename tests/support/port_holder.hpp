#pragma once
// "Another program" holding a host port: a TCP listener on 127.0.0.1:PORT for the holder's lifetime.

namespace envctl::test {

class PortHolder {
public:
    explicit PortHolder(int port);
    ~PortHolder();
    PortHolder(const PortHolder&) = delete;
    PortHolder& operator=(const PortHolder&) = delete;
    bool listening() const { return listening_; }  // false: the port was taken already (by someone else)

private:
    int fd_ = -1;
    bool listening_ = false;
};

}  // namespace envctl::test
