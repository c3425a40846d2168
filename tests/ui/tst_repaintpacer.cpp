// The repaint pacer: jobs run in a later turn of the event loop, in the order asked, one place per key, never for
// a destroyed key, and a turn stops taking jobs once it has spent its budget.
#include "repaintpacer.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTest>

#include <memory>
#include <vector>

using namespace ebm;

class TestRepaintPacer : public QObject
{
    Q_OBJECT

private slots:
    void runsLaterInOrder();
    void askingAgainKeepsThePlace();
    void destroyedKeysAreDropped();
    void turnsStopAtTheBudget_data();
    void turnsStopAtTheBudget();
};

void TestRepaintPacer::runsLaterInOrder()
{
    QObject a, b, c;
    std::vector<char> ran;
    RepaintPacer &pacer = RepaintPacer::instance();
    pacer.schedule(&a, [&] { ran.push_back('a'); });
    pacer.schedule(&b, [&] { ran.push_back('b'); });
    pacer.schedule(&c, [&] { ran.push_back('c'); });
    QVERIFY(ran.empty()); // not now: in a later turn
    QCOMPARE(pacer.pending(), 3);
    RepaintPacer::settle();
    QCOMPARE(ran, (std::vector<char>{'a', 'b', 'c'}));
    QCOMPARE(pacer.pending(), 0);
}

void TestRepaintPacer::askingAgainKeepsThePlace()
{
    QObject a, b;
    std::vector<int> ran;
    RepaintPacer &pacer = RepaintPacer::instance();
    pacer.schedule(&a, [&] { ran.push_back(1); });
    pacer.schedule(&b, [&] { ran.push_back(2); });
    pacer.schedule(&a, [&] { ran.push_back(3); }); // replaces a's job, before b
    QCOMPARE(pacer.pending(), 2);
    RepaintPacer::settle();
    QCOMPARE(ran, (std::vector<int>{3, 2}));
}

void TestRepaintPacer::destroyedKeysAreDropped()
{
    auto gone = std::make_unique<QObject>();
    QObject kept;
    int ranGone = 0, ranKept = 0;
    RepaintPacer &pacer = RepaintPacer::instance();
    pacer.schedule(gone.get(), [&] { ++ranGone; });
    pacer.schedule(&kept, [&] { ++ranKept; });
    gone.reset(); // a panel closed before its repaint came
    RepaintPacer::settle();
    QCOMPARE(ranGone, 0);
    QCOMPARE(ranKept, 1);
}

void TestRepaintPacer::turnsStopAtTheBudget_data()
{
    QTest::addColumn<double>("jobMs");
    QTest::addColumn<int>("most");
    // A job that alone exceeds the budget still runs, alone; short jobs share a turn up to the budget.
    QTest::newRow("jobs longer than the budget: one a turn") << 1.5 * RepaintPacer::kTurnBudgetMs << 1;
    QTest::newRow("jobs of 0.4 budget: at most 3 a turn") << 0.4 * RepaintPacer::kTurnBudgetMs << 3;
}

void TestRepaintPacer::turnsStopAtTheBudget()
{
    QFETCH(double, jobMs);
    QFETCH(int, most);
    constexpr int kJobs = 6;
    std::vector<std::unique_ptr<QObject>> keys;
    int turn = 0;
    std::vector<int> turnOf;
    RepaintPacer &pacer = RepaintPacer::instance();
    for (int i = 0; i < kJobs; ++i) {
        keys.push_back(std::make_unique<QObject>());
        pacer.schedule(keys.back().get(), [&] {
            turnOf.push_back(turn);
            QElapsedTimer busy;
            busy.start();
            while (busy.nsecsElapsed() < jobMs * 1e6) {
            }
        });
    }
    // One turn at a time, counted.
    for (; turn < 10 * kJobs && pacer.pending() > 0; ++turn)
        QCoreApplication::processEvents();
    QCOMPARE(int(turnOf.size()), kJobs);
    std::vector<int> perTurn(size_t(turn + 1), 0);
    for (int t : turnOf)
        ++perTurn[size_t(t)];
    for (int count : perTurn)
        QVERIFY2(count <= most, qPrintable(QStringLiteral("%1 jobs in one turn").arg(count)));
    QVERIFY(turn >= (kJobs + most - 1) / most); // spread over turns
}

QTEST_MAIN(TestRepaintPacer)
#include "tst_repaintpacer.moc"
