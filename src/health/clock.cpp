#include "envctl/health/clock.hpp"

#include "envctl/util/interrupt.hpp"

namespace envctl::health {

namespace {

class SteadyClock final : public Clock {
public:
    TimePoint now() const override { return std::chrono::steady_clock::now(); }

    bool sleep_until(TimePoint t) override {
        if (interrupt::requested()) return false;
        auto left = std::chrono::ceil<std::chrono::milliseconds>(t - now());
        if (left.count() <= 0) return true;
        return interrupt::sleep_for(left);
    }
};

}  // namespace

Clock& real_clock() {
    static SteadyClock clock;
    return clock;
}

TimePoint steady_from_epoch_ms(long long epoch_ms) {
    auto system_now = std::chrono::system_clock::now();
    auto steady_now = std::chrono::steady_clock::now();
    auto age = system_now - std::chrono::system_clock::time_point(std::chrono::milliseconds(epoch_ms));
    return steady_now - std::chrono::duration_cast<std::chrono::steady_clock::duration>(age);
}

}  // namespace envctl::health
