#include "math/parallelblocks.h"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace ebm {

namespace {

//! Helper threads kept for the life of the process: starting and joining a thread costs 50-130 us here, a wake-up
//! a few us, and a 512^2 field takes ~1.3 ms on two cores. One job at a time; a second caller meanwhile gets
//! fresh threads instead of waiting.
class HelperPool
{
public:
    explicit HelperPool(int helpers)
    {
        for (int i = 0; i < helpers; ++i) {
            try {
                m_threads.emplace_back([this] {
                    runBelowInteractivePriority();
                    loop();
                });
            } catch (const std::system_error &) {
                break; // fewer helpers, still correct
            }
        }
    }

    ~HelperPool()
    {
        {
            const std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        for (std::thread &t : m_threads)
            t.join();
    }

    int helpers() const { return static_cast<int>(m_threads.size()); }
    //! Taken by the one caller whose job the pool is running.
    std::mutex &busy() { return m_busy; }

    //! Runs work() on \a helpers helper threads and on the caller; returns when every one of them has finished.
    void run(int helpers, const std::function<void()> &work)
    {
        {
            const std::lock_guard lock(m_mutex);
            m_work = &work;
            m_wanted = helpers;
            ++m_generation;
        }
        m_wake.notify_all();
        work();
        std::unique_lock lock(m_mutex);
        // work() returns only when no block is left, so helpers that have not woken yet are not needed.
        m_wanted = 0;
        m_done.wait(lock, [this] { return m_running == 0; });
        m_work = nullptr;
    }

private:
    void loop()
    {
        std::uint64_t seen = 0;
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_wake.wait(lock, [&] { return m_stop || (m_generation != seen && m_wanted > 0); });
            if (m_stop)
                return;
            seen = m_generation;
            --m_wanted;
            ++m_running;
            const std::function<void()> *work = m_work;
            lock.unlock();
            (*work)();
            lock.lock();
            if (--m_running == 0)
                m_done.notify_all();
        }
    }

    std::mutex m_mutex, m_busy;
    std::condition_variable m_wake, m_done;
    const std::function<void()> *m_work = nullptr;
    std::uint64_t m_generation = 0;
    int m_wanted = 0, m_running = 0;
    bool m_stop = false;
    std::vector<std::thread> m_threads;
};

HelperPool &helperPool()
{
    static HelperPool pool(hardwareThreads() - 1);
    return pool;
}

} // namespace

int hardwareThreads()
{
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

void runBelowInteractivePriority()
{
#if defined(__linux__)
    // Linux schedules threads as processes: PRIO_PROCESS with the thread id changes this thread alone. A weight of
    // nice 5 (a third of nice 0) is enough for the scheduler to prefer a waking GUI thread; failure changes nothing.
    constexpr int kNice = 5;
    const auto tid = static_cast<id_t>(syscall(SYS_gettid));
    if (getpriority(PRIO_PROCESS, tid) < kNice)
        setpriority(PRIO_PROCESS, tid, kNice);
#endif
}

bool parallelBlocks(int blocks, int threads, const std::atomic<bool> *cancel, const std::function<void(int)> &body)
{
    std::atomic<int> next{0};
    std::atomic<bool> stop{false}, cancelled{false};
    std::exception_ptr error;
    std::mutex errorMutex;
    const std::function<void()> work = [&] {
        while (!stop.load(std::memory_order_relaxed)) {
            if (cancel && cancel->load(std::memory_order_relaxed)) {
                cancelled = true;
                stop = true;
                return;
            }
            const int block = next.fetch_add(1, std::memory_order_relaxed);
            if (block >= blocks)
                return;
            try {
                body(block);
            } catch (...) {
                const std::lock_guard lock(errorMutex);
                if (!error)
                    error = std::current_exception();
                stop = true;
            }
        }
    };
    const int helpers = std::min(threads, blocks) - 1;
    if (helpers <= 0) {
        work();
    } else if (HelperPool &pool = helperPool(); helpers <= pool.helpers() && pool.busy().try_lock()) {
        const std::lock_guard busy(pool.busy(), std::adopt_lock);
        pool.run(helpers, work);
    } else {
        std::vector<std::thread> extra;
        for (int t = 0; t < helpers; ++t) {
            try {
                extra.emplace_back(work);
            } catch (const std::system_error &) {
                break; // out of threads: the ones we have share the work
            }
        }
        work();
        for (std::thread &t : extra)
            t.join();
    }
    if (error)
        std::rethrow_exception(error);
    return !cancelled.load();
}

} // namespace ebm
