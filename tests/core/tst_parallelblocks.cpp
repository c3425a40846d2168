// The core's small thread pool: every block runs exactly once whatever the thread count, and the helper threads
// run below the caller's priority so that the GUI thread wins a contested core.
#include "math/parallelblocks.h"

#include <QTest>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

using namespace ebm;

namespace {

#if defined(__linux__)
int currentNice()
{
    return getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)));
}
#endif

} // namespace

class TestParallelBlocks : public QObject
{
    Q_OBJECT

private slots:
    void everyBlockOnce_data();
    void everyBlockOnce();
    void helpersRunBelowTheCaller();
    void loweringIsPerThreadAndIdempotent();
};

void TestParallelBlocks::everyBlockOnce_data()
{
    QTest::addColumn<int>("blocks");
    QTest::addColumn<int>("threads");
    QTest::newRow("one block, one thread") << 1 << 1;
    QTest::newRow("fewer blocks than threads") << 3 << 8;
    QTest::newRow("many blocks, all cores") << 517 << hardwareThreads();
    QTest::newRow("many blocks, more threads than cores") << 100 << 2 * hardwareThreads() + 1;
}

void TestParallelBlocks::everyBlockOnce()
{
    QFETCH(int, blocks);
    QFETCH(int, threads);
    std::vector<std::atomic<int>> runs(static_cast<size_t>(blocks));
    QVERIFY(parallelBlocks(blocks, threads, nullptr, [&](int b) { ++runs[static_cast<size_t>(b)]; }));
    for (int b = 0; b < blocks; ++b)
        QCOMPARE(runs[static_cast<size_t>(b)].load(), 1);
}

void TestParallelBlocks::helpersRunBelowTheCaller()
{
#if defined(__linux__)
    if (hardwareThreads() < 2)
        QSKIP("one hardware thread: the pool has no helper");
    const int callerNice = currentNice();
    std::mutex mutex;
    std::set<int> helperNice;
    const auto caller = std::this_thread::get_id();
    // Blocks slow enough that the helpers wake and take some of them.
    parallelBlocks(64, hardwareThreads(), nullptr, [&](int) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        if (std::this_thread::get_id() != caller) {
            const std::lock_guard lock(mutex);
            helperNice.insert(currentNice());
        }
    });
    QCOMPARE(currentNice(), callerNice); // the caller (the GUI thread, or a model thread) is left as it was
    QVERIFY2(!helperNice.empty(), "no helper ran a block");
    for (int nice : helperNice)
        QVERIFY2(nice >= 5 && nice > callerNice, qPrintable(QString::number(nice)));
#else
    QSKIP("thread priorities are set on Linux only");
#endif
}

void TestParallelBlocks::loweringIsPerThreadAndIdempotent()
{
#if defined(__linux__)
    const int mainNice = currentNice();
    int first = 0, second = 0;
    std::thread worker([&] {
        runBelowInteractivePriority();
        first = currentNice();
        runBelowInteractivePriority(); // never lowers twice
        second = currentNice();
    });
    worker.join();
    QCOMPARE(first, std::max(5, mainNice));
    QCOMPARE(second, first);
    QCOMPARE(currentNice(), mainNice); // another thread's call leaves this one alone
#else
    QSKIP("thread priorities are set on Linux only");
#endif
}

QTEST_GUILESS_MAIN(TestParallelBlocks)
#include "tst_parallelblocks.moc"
