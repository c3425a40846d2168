// The training thread: its trace is the synchronous trainer's, and play, pause, step, reset, speed, parameter
// changes and destruction behave as documented.
#include "engine/trainingworker.h"

#include "math/dataset.h"

#include <QElapsedTimer>
#include <QTest>

using namespace ebm;

namespace {

TrainingJob defaultJob(int epochs)
{
    TrainingJob job;
    job.data = ellipseSamples(DatasetSpec{});
    job.config.loss.kind = LossKind::Hinge; // negatives too: their per-epoch seeding must survive the thread
    job.config.loss.beta = 2.0;
    job.config.learningRate = 0.05;
    job.epochs = epochs;
    return job;
}

std::vector<TracePoint> synchronousTrace(const TrainingJob &job, int epochs)
{
    TrainingRun run(job.data, job.config);
    run.run(epochs);
    return run.trace();
}

// Records the worker's reports on the test's thread (queued, as a GUI would receive them): QSignalSpy appends
// from the emitting thread, which polling from this one would race with.
class Recorder : public QObject
{
public:
    explicit Recorder(TrainingWorker *worker)
    {
        connect(worker, &TrainingWorker::progress, this, [this](const TrainingProgress &p) { progress.push_back(p); });
        connect(worker, &TrainingWorker::trainingFailed, this,
                [this](quint64 generation, const QString &message) { failures.emplace_back(generation, message); });
    }

    std::vector<TrainingProgress> progress;
    std::vector<std::pair<quint64, QString>> failures;
};

// Every progress of \a generation in order, rows concatenated; checks they continue without gaps.
struct Collected
{
    std::vector<TracePoint> rows;
    TrainingProgress last;
    bool consecutive = true;
};

Collected collect(const Recorder &recorder, quint64 generation)
{
    Collected c;
    for (const TrainingProgress &p : recorder.progress) {
        if (p.generation != generation)
            continue;
        for (const TracePoint &row : p.rows) {
            if (row.epoch != static_cast<int>(c.rows.size()))
                c.consecutive = false;
            c.rows.push_back(row);
        }
        c.last = p;
    }
    return c;
}

} // namespace

class TestTrainingWorker : public QObject
{
    Q_OBJECT

private slots:
    void loadShowsEpochZeroPaused();
    void playRunsToTheLimitWithTheSynchronousTrace();
    void stepAdvancesExactlyOneEpoch();
    void resumedJobContinuesTheRecordedTrace();
    void pauseStopsAndResetReproducesTheTrace();
    void configChangeTakesEffectAtTheNextEpoch();
    void speedLimitsTheEpochRate();
    void speedChangeAppliesToTheWaitInProgress();
    void divergenceStopsCleanly();
    void invalidJobFails();
    void destructionDuringAnEpochIsFast();
    void destructionWhileLoadingIsFast();
};

void TestTrainingWorker::loadShowsEpochZeroPaused()
{
    TrainingWorker worker;
    Recorder recorder(&worker);
    const TrainingJob job = defaultJob(10);
    const quint64 generation = worker.load(job);
    QTRY_VERIFY_WITH_TIMEOUT(!recorder.progress.empty(), 10000);
    const Collected c = collect(recorder, generation);
    QCOMPARE(c.rows.size(), size_t(1));
    QCOMPARE(c.rows.front(), synchronousTrace(job, 0).front());
    QCOMPARE(c.last.state, TrainingState::Paused);
    QCOMPARE(worker.latestGeneration(), generation);
}

void TestTrainingWorker::playRunsToTheLimitWithTheSynchronousTrace()
{
    TrainingWorker worker;
    Recorder recorder(&worker);
    const TrainingJob job = defaultJob(60);
    const quint64 generation = worker.load(job);
    worker.play();
    QTRY_VERIFY_WITH_TIMEOUT(collect(recorder, generation).last.state == TrainingState::Finished, 20000);
    const Collected c = collect(recorder, generation);
    QVERIFY(c.consecutive);
    QVERIFY(c.rows == synchronousTrace(job, 60)); // the same code path: bit-identical
    QCOMPARE(c.last.current, c.rows.back());
    TrainingRun run(job.data, job.config);
    run.run(60);
    QCOMPARE(c.last.pairs.size(), run.currentPairs().size()); // the negatives of the shown epoch, for drawing
    QVERIFY(!c.last.pairs.empty() && c.last.pairs.back().negative == run.currentPairs().back().negative);
}

void TestTrainingWorker::stepAdvancesExactlyOneEpoch()
{
    TrainingWorker worker;
    Recorder recorder(&worker);
    const TrainingJob job = defaultJob(100);
    const quint64 generation = worker.load(job);
    for (int k = 1; k <= 3; ++k) {
        worker.step();
        QTRY_COMPARE_WITH_TIMEOUT(collect(recorder, generation).last.current.epoch, k, 10000);
    }
    QTest::qWait(100); // nothing more may arrive: steps do not play on
    const Collected c = collect(recorder, generation);
    QCOMPARE(c.rows.size(), size_t(4));
    QCOMPARE(c.last.state, TrainingState::Paused);
    QVERIFY(c.rows == synchronousTrace(job, 3));
}

void TestTrainingWorker::resumedJobContinuesTheRecordedTrace()
{
    TrainingWorker worker;
    Recorder recorder(&worker);
    TrainingJob job = defaultJob(100);
    const std::vector<TracePoint> expected = synchronousTrace(job, 8);
    job.resume.assign(expected.begin(), expected.begin() + 7); // epochs 0..6, as a session saved them
    const quint64 generation = worker.load(job);
    QTRY_COMPARE_WITH_TIMEOUT(collect(recorder, generation).rows.size(), size_t(7), 10000);
    worker.step();
    worker.step();
    QTRY_COMPARE_WITH_TIMEOUT(collect(recorder, generation).last.current.epoch, 8, 10000);
    const Collected c = collect(recorder, generation);
    QVERIFY(c.consecutive);
    QVERIFY(c.rows == expected);
}

void TestTrainingWorker::pauseStopsAndResetReproducesTheTrace()
{
    TrainingWorker worker;
    Recorder recorder(&worker);
    const TrainingJob job = defaultJob(1000000);
    const quint64 first = worker.load(job);
    worker.setSpeed(200.0);
    worker.play();
    QTRY_VERIFY_WITH_TIMEOUT(collect(recorder, first).last.current.epoch >= 5, 10000);
    worker.pause();
    QTRY_COMPARE_WITH_TIMEOUT(collect(recorder, first).last.state, TrainingState::Paused, 10000);
    const int pausedAt = collect(recorder, first).last.current.epoch;
    QTest::qWait(200); // 40 epochs' worth at this speed: none may happen
    QCOMPARE(collect(recorder, first).last.current.epoch, pausedAt);
    const std::vector<TracePoint> before = collect(recorder, first).rows;
    QVERIFY(before == synchronousTrace(job, pausedAt));

    const quint64 second = worker.reset();
    QVERIFY(second > first);
    QTRY_COMPARE_WITH_TIMEOUT(collect(recorder, second).rows.size(), size_t(1), 10000);
    QCOMPARE(collect(recorder, second).rows.front(), before.front());
    worker.setSpeed(0.0); // as fast as it computes
    worker.setEpochLimit(pausedAt);
    worker.play();
    QTRY_COMPARE_WITH_TIMEOUT(collect(recorder, second).last.state, TrainingState::Finished, 20000);
    QVERIFY(collect(recorder, second).rows == before);
}

void TestTrainingWorker::configChangeTakesEffectAtTheNextEpoch()
{
    TrainingWorker worker;
    Recorder recorder(&worker);
    TrainingJob job = defaultJob(100);
    const quint64 generation = worker.load(job);
    worker.step();
    worker.step();
    TrainingConfig changed = job.config;
    changed.loss.kind = LossKind::Log;
    changed.learningRate = 0.2;
    worker.setConfig(changed);
    worker.step();
    worker.step();
    QTRY_COMPARE_WITH_TIMEOUT(collect(recorder, generation).last.current.epoch, 4, 10000);
    TrainingRun expected(job.data, job.config);
    expected.run(2);
    expected.setConfig(changed);
    expected.run(2);
    QVERIFY(collect(recorder, generation).rows == expected.trace());
}

void TestTrainingWorker::speedLimitsTheEpochRate()
{
    TrainingWorker worker;
    Recorder recorder(&worker);
    const quint64 generation = worker.load(defaultJob(1000000));
    worker.setSpeed(20.0);
    QElapsedTimer timer;
    timer.start();
    worker.play();
    QTest::qWait(500);
    worker.pause();
    const qint64 elapsed = timer.elapsed();
    QTRY_COMPARE_WITH_TIMEOUT(collect(recorder, generation).last.state, TrainingState::Paused, 10000);
    // One epoch at once, then one per 50 ms: at most 1 + elapsed / 50 (+1 for the pause's own latency).
    const int epochs = collect(recorder, generation).last.current.epoch;
    QVERIFY2(epochs >= 2 && epochs <= 2 + elapsed / 50, qPrintable(QStringLiteral("%1 epochs").arg(epochs)));
}

void TestTrainingWorker::speedChangeAppliesToTheWaitInProgress()
{
    TrainingWorker worker;
    Recorder recorder(&worker);
    const quint64 generation = worker.load(defaultJob(1000000));
    worker.setSpeed(0.1); // ten seconds between epochs
    worker.play();
    QTRY_COMPARE_WITH_TIMEOUT(collect(recorder, generation).last.current.epoch, 1, 10000);
    QTest::qWait(100);
    QCOMPARE(collect(recorder, generation).last.current.epoch, 1);
    worker.setSpeed(0.0);
    QTRY_VERIFY_WITH_TIMEOUT(collect(recorder, generation).last.current.epoch >= 10, 5000);
}

void TestTrainingWorker::divergenceStopsCleanly()
{
    TrainingWorker worker;
    Recorder recorder(&worker);
    TrainingJob job = defaultJob(1000);
    job.config.loss.kind = LossKind::Energy;
    job.config.learningRate = 1e3;
    const quint64 generation = worker.load(job);
    worker.play();
    QTRY_COMPARE_WITH_TIMEOUT(collect(recorder, generation).last.state, TrainingState::Diverged, 10000);
    const Collected c = collect(recorder, generation);
    QVERIFY(c.last.message.contains("diverged"));
    QVERIFY(c.rows == synchronousTrace(job, 1000)); // up to the last finite state, nothing after
    QVERIFY(std::isfinite(c.last.current.loss));
    worker.step(); // a stopped run stays stopped
    QTest::qWait(100);
    QCOMPARE(collect(recorder, generation).last.current, c.last.current);
}

void TestTrainingWorker::invalidJobFails()
{
    TrainingWorker worker;
    Recorder recorder(&worker);
    TrainingJob job = defaultJob(10);
    job.config.learningRate = -1.0;
    const quint64 generation = worker.load(job);
    QTRY_VERIFY_WITH_TIMEOUT(!recorder.failures.empty(), 10000);
    QCOMPARE(recorder.failures.front().first, generation);
    QVERIFY(recorder.failures.front().second.contains("learning rate"));
    QVERIFY(recorder.progress.empty());
}

namespace {

// An NLL job whose every epoch (row 0 included) evaluates \a side^2 candidates with the continuous latent's
// quadrature: ~40 us each here, so side = 150 takes about a second and side = 400 several.
TrainingJob slowJob(int side)
{
    TrainingJob job = defaultJob(1000000);
    job.config.loss.kind = LossKind::Nll;
    job.config.loss.candidatesX = job.config.loss.candidatesY = side;
    job.config.latents = LatentSpec::continuous();
    job.data.resize(2);
    return job;
}

bool deletedQuickly(TrainingWorker *worker)
{
    QElapsedTimer timer;
    timer.start();
    delete worker;
    if (timer.elapsed() >= 1000)
        qWarning("deleting the worker took %lld ms", timer.elapsed());
    return timer.elapsed() < 1000;
}

} // namespace

void TestTrainingWorker::destructionDuringAnEpochIsFast()
{
    auto *worker = new TrainingWorker;
    Recorder recorder(worker);
    worker->load(slowJob(150));
    QTRY_VERIFY_WITH_TIMEOUT(!recorder.progress.empty(), 60000); // row 0
    worker->play();
    QTest::qWait(200); // inside epoch 1
    QVERIFY(deletedQuickly(worker));
}

void TestTrainingWorker::destructionWhileLoadingIsFast()
{
    auto *worker = new TrainingWorker;
    worker->load(slowJob(400)); // row 0 alone takes seconds
    QTest::qWait(200);
    QVERIFY(deletedQuickly(worker));
}

QTEST_GUILESS_MAIN(TestTrainingWorker)
#include "tst_trainingworker.moc"
