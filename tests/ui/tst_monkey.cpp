// The monkey test: ten thousand random but valid events on the real main window from a printed seed. No crash, no
// assertion, no unexpected Qt warning, no thread left behind, the window answers within a bound, and at the end the
// heatmap still shows the core's field for the state the monkey left.
//
// EBM_MONKEY_SEED (default 20240611) and EBM_MONKEY_EVENTS (default 10000) choose the run; a failure prints both
// and the index of the event, and EBM_MONKEY_EVENTS=<index + 1> replays up to it (the model threads' timing is not
// part of the seed, so a replay is very likely but not certain to take the same path).
#include "fuzzycompare.h"
#include "lifecycleprobes.h"
#include "monkey.h"

#include "mainwindow.h"
#include "math/fastfield.h"
#include "math/parallelblocks.h"
#include "math/trainer.h"
#include "observationplane.h"
#include "parameterpanel.h"

#include <QDoubleSpinBox>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <QUndoStack>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <unistd.h>

using namespace ebm;
using namespace ebmtest;

namespace {

constexpr std::uint64_t kDefaultSeed = 20240611;
constexpr int kDefaultEvents = 10000;
// The bound on one turn of the event loop. A person notices a lag from ~100 ms and calls a window frozen well before
// half a second; the GUI thread computes no field, so a turn is a replot and a little inference. 500 ms leaves room
// for a 2-core machine shared with other jobs and for the 2-3x of a sanitizer build without hiding a real stall.
// Exports are synchronous by design (a wait cursor, a file at the end) and are bounded apart.
constexpr double kDefaultMaxTurnMs = 500.0;
constexpr double kMaxExportMs = 5000.0;
// A turn over the bound is a lag; one four times over it is a freeze, and fails at once. Lags are allowed twice in a
// run (named, with where their time went): on CI's shared 2-core machine one turn in ~10^4 was measured at 1.4x the
// bound (721 ms, a Play click at 8 epochs) that took under 260 ms in every turn of a whole run here, and a third lag is
// no accident.
constexpr double kFreezeFactor = 4.0;
constexpr int kAllowedLags = 2;

double envNumber(const char *name, double fallback)
{
    bool ok = false;
    const double v = qEnvironmentVariable(name).toDouble(&ok);
    return ok ? v : fallback;
}

// What a crash prints: kept formatted in a static buffer so the signal handler only has to write it.
char g_replay[512] = "monkey: not started\n";
struct sigaction g_previous[32];

void writeReplayHint()
{
    const ssize_t ignored = write(STDERR_FILENO, g_replay, std::strlen(g_replay));
    (void)ignored;
}

void onFatalSignal(int signal)
{
    writeReplayHint();
    sigaction(signal, &g_previous[signal], nullptr); // Qt Test's handler prints the stack, then the default
    raise(signal);
}

void installCrashHint()
{
    for (int signal : {SIGSEGV, SIGABRT, SIGFPE, SIGBUS, SIGILL}) {
        struct sigaction action = {};
        action.sa_handler = onFatalSignal;
        sigemptyset(&action.sa_mask);
        sigaction(signal, &action, &g_previous[signal]);
    }
}

} // namespace

// AddressSanitizer calls this before it reports and aborts (it is unused in other builds).
extern "C" void __asan_on_error()
{
    writeReplayHint();
}

class TestMonkey : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void randomEventsOnTheMainWindow();
};

void TestMonkey::initTestCase()
{
    installCrashHint();
}

namespace {

// The state stays a state the controls can show: finite, inside the ranges of its controls.
QString stateProblem(const MainWindow &window)
{
    const LabState &s = window.state();
    auto inside = [](double v, double lo, double hi) { return std::isfinite(v) && v >= lo && v <= hi; };
    if (!inside(s.beta, 1e-3, 1e3))
        return QStringLiteral("beta = %1").arg(s.beta);
    // Training may take w beyond what a person types, never beyond where it counts as diverged; the boxes show it.
    if (!inside(s.w.w1, -kDivergenceBound, kDivergenceBound) || !inside(s.w.w2, -kDivergenceBound, kDivergenceBound))
        return QStringLiteral("w = (%1, %2)").arg(s.w.w1).arg(s.w.w2);
    const ParameterPanel *panel = window.parameterPanel();
    if (std::abs(panel->w1Box()->value() - s.w.w1) > 6e-4 || std::abs(panel->w2Box()->value() - s.w.w2) > 6e-4)
        return QStringLiteral("w = (%1, %2) but the boxes show (%3, %4)")
            .arg(s.w.w1)
            .arg(s.w.w2)
            .arg(panel->w1Box()->value())
            .arg(panel->w2Box()->value());
    if (s.latentCount < 4 || s.latentCount > 1024)
        return QStringLiteral("N = %1").arg(s.latentCount);
    if (!inside(s.margin, 0, 100) || !inside(s.zStar, 0, 6.2832))
        return QStringLiteral("margin %1, z* %2").arg(s.margin).arg(s.zStar);
    if (!std::isfinite(s.observation.x()) || !std::isfinite(s.observation.y()) || !std::isfinite(s.sectionY1))
        return QStringLiteral("y or the section is not finite");
    if (s.dataset.count < 1 || s.dataset.count > 2000 || !inside(s.dataset.noise, 0, 2))
        return QStringLiteral("data set %1 points, noise %2").arg(s.dataset.count).arg(s.dataset.noise);
    if (!(window.parameterPanel()->state() == s))
        return QStringLiteral("the parameter panel shows another state than the window's");
    return {};
}

bool showsCurrentField(const MainWindow &window)
{
    const LabState &s = window.state();
    const FieldJob &job = window.displayedJob();
    return job.request.kind == s.field && job.request.beta == s.effectiveBeta() && job.w == s.w &&
           job.latents == s.latents() && window.plane()->displayedGridSize() == QSize(job.grid.nx, job.grid.ny);
}

} // namespace

void TestMonkey::randomEventsOnTheMainWindow()
{
    const auto seed = static_cast<std::uint64_t>(envNumber("EBM_MONKEY_SEED", double(kDefaultSeed)));
    const int events = int(envNumber("EBM_MONKEY_EVENTS", kDefaultEvents));
    const double maxTurnMs = envNumber("EBM_MONKEY_MAX_TURN_MS", kDefaultMaxTurnMs);
    qInfo("monkey: seed %llu, %d events (EBM_MONKEY_SEED, EBM_MONKEY_EVENTS)", static_cast<unsigned long long>(seed),
          events);

    WarningRecorder warnings;
    // The offscreen platform has no window system to pass size hints to or to raise a floating dock in; Qt's default
    // QPlatformWindow says so ("This plugin does not support raise()"). Nothing of ours is involved.
    // A combo box's popup (Space on a focused combo box) grabs keyboard and mouse, which it cannot either.
    warnings.allow(QStringLiteral("^This plugin does not support (propagateSizeHints|raise|lower|setParent)\\(\\)$"));
    warnings.allow(QStringLiteral("^This plugin does not support grabbing the (keyboard|mouse)$"));
    warnings.onFatal = [](const QString &) { writeReplayHint(); };

    // The core keeps a small pool of helper threads for the life of the process: start it before counting.
    evaluateFieldFast(EllipseEbm(EllipseParams{2.0, 1.5}, LatentSpec::sampled(48)), FieldRequest{},
                      Grid{-1, 1, -1, 1, 64, 64}, hardwareThreads());
    const QStringList threadsBefore = threadNames();

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto window = std::make_unique<MainWindow>();
    window->resize(1600, 950);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));

    int index = 0;
    QString kind;
    {
        UiMonkey monkey(*window, seed, dir.path());
        monkey.setProfiler(ProfilingApplication::instance());
        QStringList lags; // the turns over the bound, described
        QElapsedTimer total;
        total.start();
        for (index = 0; index < events; ++index) {
            std::snprintf(
                g_replay, sizeof g_replay,
                "monkey: crashed or stopped at event %d; replay with EBM_MONKEY_SEED=%llu EBM_MONKEY_EVENTS=%d\n",
                index, static_cast<unsigned long long>(seed), index + 1);
            kind = monkey.step();
            if (index % 1000 == 999)
                qInfo("monkey: %d events, %.1f s", index + 1, total.elapsed() / 1000.0);
            QString problem = stateProblem(*window);
            // An export is a deliberate wait for a file (its own, looser bound); anything else is one turn.
            const bool exporting = kind.startsWith(QLatin1String("export"));
            const double bound = exporting ? kMaxExportMs : maxTurnMs;
            if (problem.isEmpty() && monkey.lastCpuMs() > bound) {
                const QString lag =
                    QStringLiteral("event %1 (%2: %3) took %4 ms of GUI-thread CPU with %5; spent on: %6")
                        .arg(index)
                        .arg(kind, monkey.detail())
                        .arg(monkey.lastCpuMs())
                        .arg(monkey.situation(), monkey.lastProfile());
                qInfo("monkey: lag: %s", qPrintable(lag));
                lags << lag;
                // Fail at once on a freeze or one lag too many: a stall repeats and would hang the run.
                if (exporting || monkey.lastCpuMs() > kFreezeFactor * bound)
                    problem = QStringLiteral("a freeze: ") + lag;
                else if (lags.size() > kAllowedLags)
                    problem = QStringLiteral("%1 turns over %2 ms: ").arg(lags.size()).arg(bound) +
                              lags.join(QStringLiteral(" | "));
            }
            const QStringList unexpected = warnings.unexpected();
            const QStringList monkeyProblems = monkey.problems();
            if (!problem.isEmpty() || !unexpected.isEmpty() || !monkeyProblems.isEmpty()) {
                const QString why = !problem.isEmpty()      ? problem
                                    : !unexpected.isEmpty() ? QStringLiteral("Qt warned: ") + unexpected.join(" | ")
                                                            : monkeyProblems.join(" | ");
                QFAIL(qPrintable(QStringLiteral("event %1 (%2: %3): %4\nreplay with EBM_MONKEY_SEED=%5 "
                                                "EBM_MONKEY_EVENTS=%6")
                                     .arg(index)
                                     .arg(kind, monkey.detail(), why)
                                     .arg(seed)
                                     .arg(index + 1)));
            }
        }
        monkey.stopAnswering();
        const double seconds = total.elapsed() / 1000.0;

        // The figures: every kind's count and its longest turn, in CPU time of the GUI thread (what the window spent,
        // the bound) and in wall-clock time (what a person waited, which the machine's load inflates).
        double longest = 0.0, longestWall = 0.0, longestExport = 0.0;
        QString longestKind;
        for (const auto &[name, t] : monkey.turns()) {
            qInfo("  %-24s %5d events, longest turn %7.1f ms CPU, %7.1f ms wall, mean %6.2f ms wall", qPrintable(name),
                  t.count, t.maxCpuMs, t.maxMs, t.totalMs / t.count);
            if (name.startsWith(QLatin1String("export"))) {
                longestExport = std::max(longestExport, t.maxCpuMs);
                continue;
            }
            longestWall = std::max(longestWall, t.maxMs);
            if (t.maxCpuMs > longest) {
                longest = t.maxCpuMs;
                longestKind = name;
            }
        }
        for (const QString &slow : monkey.slowTurns())
            qInfo("  slow turn %s", qPrintable(slow));
        for (const auto &[name, count] : monkey.modalDialogs())
            qInfo("  answered %d modal %s", count, qPrintable(name));
        qInfo("monkey: %d events in %.1f s; longest event-loop turn %.1f ms CPU (%s), %.1f ms wall; %lld turns over "
              "%.0f ms; longest export %.0f ms CPU; %d harmless warnings",
              events, seconds, longest, qPrintable(longestKind), longestWall, static_cast<long long>(lags.size()),
              maxTurnMs, longestExport, warnings.allowedCount());
        QVERIFY2(longest <= kFreezeFactor * maxTurnMs && lags.size() <= kAllowedLags,
                 qPrintable(QStringLiteral("the window did not answer for %1 ms (%2); bound %3 ms, lags: %4")
                                .arg(longest)
                                .arg(longestKind)
                                .arg(maxTurnMs)
                                .arg(lags.join(QStringLiteral(" | ")))));
        // Waiting without computing (a lock, a join) shows only on the wall clock: bounded 20 times looser, since a
        // loaded CI machine stretches every turn.
        QVERIFY2(longestWall <= 20 * maxTurnMs,
                 qPrintable(QStringLiteral("a turn took %1 ms on the wall clock").arg(longestWall)));
        QVERIFY2(longestExport <= kMaxExportMs, qPrintable(QStringLiteral("an export took %1 ms").arg(longestExport)));
    }
    std::snprintf(g_replay, sizeof g_replay, "monkey: crashed after the %d events (seed %llu), while checking\n",
                  events, static_cast<unsigned long long>(seed));

    // Calm down: no run, no presentation mode; then the heatmap must show the core's field for the state left.
    if (window->trainingPanel()->isPlaying())
        window->trainingPanel()->togglePlay();
    window->setPresentationMode(false);
    QTRY_VERIFY_WITH_TIMEOUT(showsCurrentField(*window), 60000);
    const FieldJob &job = window->displayedJob();
    const EllipseEbm model(job.w, job.latents);
    for (int j = 0; j < job.grid.ny; j += 13) {
        for (int i = 0; i < job.grid.nx; i += 13) {
            const double shown = window->plane()->displayedValue(i, j);
            const double core = fieldValue(model, job.request, Vec2(job.grid.y1At(i), job.grid.y2At(j)));
            QVERIFY2(
                ebmtest::closeTo(shown, core, 1e-9, 1e-12) || (std::isnan(shown) && std::isnan(core)),
                qPrintable(
                    QStringLiteral("cell (%1, %2): %3 shown, %4 from the core").arg(i).arg(j).arg(shown).arg(core)));
        }
    }

    // Closing: no worker, no pooled task, no thread outlives the window.
    QElapsedTimer closing;
    closing.start();
    window->close();
    window.reset();
    const qint64 closeMs = closing.elapsed();
    // A pooled task (the loss landscape) may still be unwinding right after its future reported; it must be done
    // within the second. waitForDone also ends the idle pooled threads, which would otherwise linger for 30 s.
    const bool pooledDone = QThreadPool::globalInstance()->waitForDone(std::max(0, 1000 - int(closeMs)));
    const QStringList extra = waitForThreads(threadsBefore, 1000);
    qInfo("monkey: closed in %lld ms; threads before %lld, extra after %s", closeMs, threadsBefore.size(),
          qPrintable(extra.join(QStringLiteral(", "))));
    QVERIFY2(pooledDone, "a pooled task was still running a second after the window closed");
    QVERIFY2(extra.isEmpty(), qPrintable(QStringLiteral("threads left: ") + extra.join(QStringLiteral(", "))));
    QVERIFY2(closeMs < 1000, qPrintable(QStringLiteral("closing took %1 ms").arg(closeMs)));
    QVERIFY2(warnings.unexpected().isEmpty(), qPrintable(warnings.unexpected().join(QStringLiteral(" | "))));
}

int main(int argc, char *argv[])
{
    // Ten thousand events take ~1 min on two idle cores, many more under a sanitizer or a loaded machine: Qt Test's
    // own watchdog (5 min per function) must not end the run before ctest's limit does.
    if (!qEnvironmentVariableIsSet("QTEST_FUNCTION_TIMEOUT"))
        qputenv("QTEST_FUNCTION_TIMEOUT", "3600000");
    ProfilingApplication app(argc, argv);
    TestMonkey test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_monkey.moc"
