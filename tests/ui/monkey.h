// A monkey for the main window: one random but valid event per call, from a seeded stream, on the real widgets.
// The events are the ones a person (or a presenter's remote) can make; modal dialogs they open are answered by a
// timer the way a person would answer them (a file in the test's directory, or Cancel).
#pragma once

#include "dispatchprofile.h"
#include "exportdialog.h"
#include "mainwindow.h"
#include "math/rng.h"
#include "observationplane.h"
#include "trainingpanel.h"

#include <qcustomplot.h>

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSlider>
#include <QSpinBox>
#include <QTabBar>
#include <QTest>
#include <QTimer>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <functional>
#include <map>
#include <vector>

namespace ebmtest {

class UiMonkey
{
public:
    //! How long one turn (an event and the event processing it caused) took, per kind of event.
    struct Turns
    {
        int count = 0;
        double maxMs = 0.0;    //!< wall clock
        double totalMs = 0.0;  //!< wall clock
        double maxCpuMs = 0.0; //!< CPU time of the GUI thread: what the window spent, whatever the machine's load
    };

    UiMonkey(ebm::MainWindow &window, std::uint64_t seed, const QString &directory)
        : m_window(window)
        , m_rng(seed)
        , m_dir(directory)
    {
        writeDataFiles();
        m_modalTimer.setInterval(15);
        QObject::connect(&m_modalTimer, &QTimer::timeout, [this] { answerModalDialog(); });
        m_modalTimer.start();
        for (QAction *menu : m_window.menuBar()->actions())
            collectActions(menu->menu());
        m_kinds = {
            {"drag the observation", 8, [this] { dragObservation(); }},
            {"pan the plane", 5, [this] { dragEmptyArea(); }},
            {"drag the section line", 4, [this] { dragSection(); }},
            {"hover", 5, [this] { hover(); }},
            {"wheel on the plane", 5, [this] { wheelPlane(); }},
            {"double-click the plane", 0.5, [this] { doubleClickPlane(); }},
            {"click a button", 10, [this] { clickButton(); }},
            {"type into a spin box", 10, [this] { typeIntoSpinBox(); }},
            {"step a spin box", 5, [this] { stepSpinBox(); }},
            {"move a slider", 6, [this] { moveSlider(); }},
            {"change a combo box", 5, [this] { changeCombo(); }},
            {"switch a dock tab", 2, [this] { switchTab(); }},
            {"press a key", 12, [this] { pressKey(); }},
            {"trigger a menu action", 2, [this] { triggerAction(m_actions); }},
            {"export from the menu", 0.3, [this] { triggerAction(m_exportActions); }},
            {"switch the lesson", 2, [this] { switchLesson(); }},
            {"drive the training", 6, [this] { driveTraining(); }},
            {"resize the window", 0.5, [this] { resizeWindow(); }},
            {"export a figure", 0.3, [this] { exportFigure(); }},
            {"export a beta sweep", 0.1, [this] { exportSweep(); }},
        };
        for (const Kind &k : m_kinds)
            m_totalWeight += k.weight;
    }

    //! Makes one random event and processes what it caused; returns the kind of event.
    QString step()
    {
        double pick = m_rng.uniform() * m_totalWeight;
        const Kind *kind = &m_kinds.back();
        for (const Kind &k : m_kinds) {
            if (pick < k.weight) {
                kind = &k;
                break;
            }
            pick -= k.weight;
        }
        m_detail.clear();
        if (m_profiler)
            m_profiler->beginTurn();
        QElapsedTimer timer;
        timer.start();
        const double cpuStart = threadCpuMs();
        kind->act();
        QCoreApplication::processEvents();
        const double ms = timer.nsecsElapsed() / 1e6, cpuMs = threadCpuMs() - cpuStart;
        Turns &t = m_turns[kind->name];
        ++t.count;
        t.totalMs += ms;
        t.maxMs = std::max(t.maxMs, ms);
        t.maxCpuMs = std::max(t.maxCpuMs, cpuMs);
        m_lastCpuMs = cpuMs;
        m_lastProfile = m_profiler ? m_profiler->describeTurn() : QString();
        if (cpuMs > kSlowTurnMs)
            m_slow << QStringLiteral("%1 ms CPU (%2 ms wall): %3 (%4) with %5%6")
                          .arg(cpuMs, 0, 'f', 0)
                          .arg(ms, 0, 'f', 0)
                          .arg(kind->name, m_detail, situation(),
                               m_lastProfile.isEmpty() ? QString() : QStringLiteral("; spent on: ") + m_lastProfile);
        return kind->name;
    }

    //! The turns that took the GUI thread longer than kSlowTurnMs, with what the window was showing then.
    QStringList slowTurns() const { return m_slow; }
    static constexpr double kSlowTurnMs = 100.0;

    //! What the window shows, in a line: what makes a turn cheap or dear.
    QString situation() const
    {
        const ebm::LabState &s = m_window.state();
        const ebm::TrainingPanel *t = m_window.trainingPanel();
        return QStringLiteral("field %1, %2, beta %3, %4 data points, %5 epochs%6%7, grid %8, view %9 wide")
            .arg(int(s.field))
            .arg(s.continuousLatent ? QStringLiteral("continuous z") : QStringLiteral("N = %1").arg(s.latentCount))
            .arg(s.effectiveBeta())
            .arg(m_window.data().size())
            .arg(t->epochCount())
            .arg(t->isPlaying() ? QStringLiteral(" (playing)") : QString())
            .arg(m_window.presentationMode() ? QStringLiteral(", presenting") : QString())
            .arg(s.resolution)
            .arg(m_window.plane()->visibleRange().width());
    }

    //! CPU time of the GUI thread in the last turn.
    double lastCpuMs() const { return m_lastCpuMs; }
    //! The last turn's most expensive dispatches (empty without a profiler).
    QString lastProfile() const { return m_lastProfile; }
    //! Times every dispatch of a turn when the test's application is a ProfilingApplication.
    void setProfiler(ProfilingApplication *profiler) { m_profiler = profiler; }

    //! What the last event did in detail (which control, which text), for the replay hint.
    QString detail() const { return m_detail; }
    const std::map<QString, Turns> &turns() const { return m_turns; }
    const std::map<QString, int> &modalDialogs() const { return m_modals; }
    //! Problems the monkey itself saw (an export that failed, a file that was not written).
    QStringList problems() const { return m_problems; }
    int exportsWritten() const { return m_exports; }
    void stopAnswering() { m_modalTimer.stop(); }

private:
    struct Kind
    {
        QString name;
        double weight;
        std::function<void()> act;
    };

    static double threadCpuMs() { return ProfilingApplication::threadCpuMs(); }

    int below(int n) { return n <= 0 ? 0 : std::min(n - 1, int(m_rng.uniform() * n)); }
    double between(double lo, double hi) { return lo + (hi - lo) * m_rng.uniform(); }
    bool chance(double p) { return m_rng.uniform() < p; }
    template<typename T>
    T pickOne(const std::vector<T> &items)
    {
        return items[size_t(below(int(items.size())))];
    }

    template<typename W>
    std::vector<W *> visible() const
    {
        std::vector<W *> out;
        for (W *w : m_window.findChildren<W *>()) {
            if (w->isVisible() && w->width() > 0 && w->height() > 0)
                out.push_back(w);
        }
        return out;
    }

    QCustomPlot *plot() const { return m_window.plane()->plot(); }
    QPoint randomPlotPoint()
    {
        const QRect r = plot()->axisRect()->rect();
        return QPoint(r.left() + below(r.width()), r.top() + below(r.height()));
    }

    void drag(QPoint from, int moves)
    {
        QTest::mousePress(plot(), Qt::LeftButton, {}, from);
        QPoint at = from;
        for (int i = 0; i < moves; ++i) {
            at += QPoint(int(between(-40, 40)), int(between(-40, 40)));
            QTest::mouseMove(plot(), at);
            QCoreApplication::processEvents();
        }
        QTest::mouseRelease(plot(), Qt::LeftButton, {}, at);
    }

    void dragObservation()
    {
        const QPoint handle = m_window.plane()->toPixels(m_window.state().observation);
        if (!plot()->rect().contains(handle)) { // off screen after a pan: a person would drag elsewhere
            m_detail = QStringLiteral("handle off screen, pan instead");
            dragEmptyArea();
            return;
        }
        m_detail = QStringLiteral("from (%1, %2)").arg(handle.x()).arg(handle.y());
        drag(handle, 1 + below(4));
    }
    void dragEmptyArea()
    {
        const QPoint from = randomPlotPoint();
        m_detail = QStringLiteral("from (%1, %2)").arg(from.x()).arg(from.y());
        drag(from, 1 + below(4));
    }
    void dragSection()
    {
        const int x = int(std::lround(plot()->xAxis->coordToPixel(m_window.state().sectionY1)));
        const QRect r = plot()->axisRect()->rect();
        if (x < r.left() || x > r.right()) {
            dragEmptyArea();
            return;
        }
        drag(QPoint(x, r.top() + below(r.height())), 1 + below(4));
    }
    void hover()
    {
        const QPoint at = randomPlotPoint();
        QMouseEvent move(QEvent::MouseMove, at, plot()->mapToGlobal(at), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(plot(), &move);
    }
    void wheel(QWidget *target, QPoint at)
    {
        const int notches = (chance(0.5) ? 1 : -1) * (1 + below(3));
        QWheelEvent event(at, target->mapToGlobal(at), QPoint(), QPoint(0, 120 * notches), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(target, &event);
        m_detail = QStringLiteral("%1 notches on %2").arg(notches).arg(target->metaObject()->className());
    }
    void wheelPlane() { wheel(plot(), randomPlotPoint()); }
    void doubleClickPlane() { QTest::mouseDClick(plot(), Qt::LeftButton, {}, randomPlotPoint()); }

    void clickButton()
    {
        const auto buttons = visible<QAbstractButton>();
        if (buttons.empty())
            return;
        QAbstractButton *b = pickOne(buttons);
        m_detail = QStringLiteral("%1 \"%2\" (%3)").arg(b->metaObject()->className(), b->text(), b->objectName());
        QTest::mouseClick(b, Qt::LeftButton, {}, b->rect().center());
    }

    QString randomText(QAbstractSpinBox *box)
    {
        // Valid numbers in and out of range, and the garbage a person types by mistake.
        static const QStringList garbage = {"1e99", "-5",   "abc", "nan", "inf", "-inf", "",    "99999999999",
                                            "0",    "-0.0", "1,5", "..",  "+-",  "1e-9", " 7 ", "0x10"};
        if (chance(0.5))
            return garbage[below(int(garbage.size()))];
        double lo = 0.0, hi = 1.0;
        if (auto *d = qobject_cast<QDoubleSpinBox *>(box)) {
            lo = d->minimum();
            hi = d->maximum();
        } else if (auto *s = qobject_cast<QSpinBox *>(box)) {
            lo = s->minimum();
            hi = s->maximum();
        }
        const double span = hi - lo;
        const double v = between(lo - 0.2 * span, hi + 0.2 * span);
        return qobject_cast<QSpinBox *>(box) ? QString::number(std::lround(v)) : QString::number(v, 'g', 5);
    }

    void typeIntoSpinBox()
    {
        const auto boxes = visible<QAbstractSpinBox>();
        if (boxes.empty())
            return;
        QAbstractSpinBox *box = pickOne(boxes);
        const QString text = randomText(box);
        const bool enter = chance(0.7);
        m_detail = QStringLiteral("\"%1\" into %2 (%3), then %4")
                       .arg(text, box->metaObject()->className(), box->objectName(),
                            enter ? QStringLiteral("Enter") : QStringLiteral("focus out"));
        box->setFocus(Qt::TabFocusReason);
        QTest::keyClick(box, Qt::Key_A, Qt::ControlModifier); // select all, as a person replaces a number
        QTest::keyClicks(box, text);
        if (enter)
            QTest::keyClick(box, Qt::Key_Return);
        else
            m_window.plane()->setFocus(Qt::MouseFocusReason);
    }

    void stepSpinBox()
    {
        const auto boxes = visible<QAbstractSpinBox>();
        if (boxes.empty())
            return;
        QAbstractSpinBox *box = pickOne(boxes);
        m_detail = box->objectName();
        if (chance(0.3)) {
            wheel(box, box->rect().center());
            return;
        }
        box->setFocus(Qt::TabFocusReason);
        static const Qt::Key keys[] = {Qt::Key_Up, Qt::Key_Down, Qt::Key_PageUp, Qt::Key_PageDown};
        QTest::keyClick(box, keys[below(4)]);
        if (chance(0.5))
            QTest::keyClick(box, Qt::Key_Return);
    }

    void moveSlider()
    {
        const auto sliders = visible<QSlider>();
        if (sliders.empty())
            return;
        QSlider *s = pickOne(sliders);
        m_detail = s->objectName();
        if (chance(0.4)) { // a click on the groove pages towards the pointer
            QTest::mouseClick(s, Qt::LeftButton, {}, QPoint(below(s->width()), s->height() / 2));
            return;
        }
        s->setFocus(Qt::TabFocusReason);
        static const Qt::Key keys[] = {Qt::Key_Left,     Qt::Key_Right, Qt::Key_PageUp,
                                       Qt::Key_PageDown, Qt::Key_Home,  Qt::Key_End};
        for (int i = 1 + below(5); i > 0; --i)
            QTest::keyClick(s, keys[below(6)]);
    }

    void changeCombo()
    {
        const auto combos = visible<QComboBox>();
        if (combos.empty())
            return;
        QComboBox *c = pickOne(combos);
        m_detail = c->objectName();
        c->setFocus(Qt::TabFocusReason);
        static const Qt::Key keys[] = {Qt::Key_Up, Qt::Key_Down, Qt::Key_Home, Qt::Key_End};
        QTest::keyClick(c, keys[below(4)]);
    }

    void switchTab()
    {
        const auto bars = visible<QTabBar>();
        if (bars.empty())
            return;
        QTabBar *bar = pickOne(bars);
        const int tab = below(bar->count());
        m_detail = bar->tabText(tab);
        QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(tab).center());
    }

    void pressKey()
    {
        struct Press
        {
            Qt::Key key;
            Qt::KeyboardModifiers modifiers;
        };
        static const Press keys[] = {
            {Qt::Key_Left, {}},
            {Qt::Key_Right, {}},
            {Qt::Key_Up, {}},
            {Qt::Key_Down, {}},
            {Qt::Key_Left, Qt::ShiftModifier},
            {Qt::Key_Up, Qt::ShiftModifier},
            {Qt::Key_BracketLeft, {}},
            {Qt::Key_BracketRight, {}},
            {Qt::Key_Space, {}},
            {Qt::Key_PageUp, {}},
            {Qt::Key_PageDown, {}},
            {Qt::Key_Z, Qt::ControlModifier},
            {Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier},
            {Qt::Key_F11, {}},
            {Qt::Key_Home, {}},
            {Qt::Key_Escape, {}},
            {Qt::Key_Tab, {}},
        };
        const Press p = keys[below(int(std::size(keys)))];
        // To the focused widget, as the keyboard does; now and then to the plane first, as after a click on it.
        if (chance(0.4) || !QApplication::focusWidget())
            m_window.plane()->setFocus(Qt::MouseFocusReason);
        QWidget *target = QApplication::focusWidget() ? QApplication::focusWidget() : &m_window;
        m_detail = QStringLiteral("%1 (modifiers %2) to %3 (%4)")
                       .arg(QKeySequence(p.key).toString())
                       .arg(int(p.modifiers))
                       .arg(target->metaObject()->className(), target->objectName());
        QTest::keyClick(target, p.key, p.modifiers);
    }

    void collectActions(QMenu *menu)
    {
        if (!menu)
            return;
        for (QAction *a : menu->actions()) {
            if (a->menu())
                collectActions(a->menu());
            else if (a->text().contains(QStringLiteral("Export")))
                m_exportActions.push_back(a); // synchronous by design: timed as exports
            else if (!a->isSeparator() && !a->text().contains(QStringLiteral("Quit")))
                m_actions.push_back(a); // quitting ends the monkey's window: the lifecycle tests do that
        }
    }
    void triggerAction(const std::vector<QAction *> &actions)
    {
        QAction *a = pickOne(actions);
        m_detail = a->text();
        if (a->isEnabled())
            a->trigger();
    }

    void switchLesson()
    {
        // Out-of-range indices too: they must change nothing.
        const int index = below(int(m_window.lessons().size()) + 2) - 1;
        m_detail = QString::number(index);
        m_window.applyLesson(index);
    }

    void driveTraining()
    {
        ebm::TrainingPanel *panel = m_window.trainingPanel();
        static const char *names[] = {"play", "play", "step", "reset", "replay"};
        const QString name = QString::fromLatin1(names[below(5)]);
        m_detail = name;
        auto *button = panel->findChild<QAbstractButton *>(name);
        auto *speed = panel->findChild<QWidget *>(QStringLiteral("speed"));
        if (speed && speed->isVisible() && chance(0.15)) { // the Space shortcut of the panel
            m_detail = QStringLiteral("Space on the training panel");
            speed->setFocus(Qt::TabFocusReason);
            QTest::keyClick(speed, Qt::Key_Space);
            return;
        }
        if (button && button->isVisible())
            QTest::mouseClick(button, Qt::LeftButton, {}, button->rect().center());
        else if (name == QLatin1String("play"))
            panel->togglePlay(); // the dock is behind its tab: the way the window's own code would
    }

    void resizeWindow()
    {
        if (m_window.presentationMode())
            return; // full screen has the screen's size
        const QSize size(900 + below(1020), 650 + below(430));
        m_detail = QStringLiteral("%1 x %2").arg(size.width()).arg(size.height());
        m_window.resize(size);
    }

    void exportFigure()
    {
        QWidget *targets[] = {&m_window, m_window.plane(), (QWidget *)m_window.latentPanel(),
                              (QWidget *)m_window.sectionPanel()};
        static const char *suffixes[] = {"png", "svg", "pdf"};
        QWidget *target = targets[below(4)];
        const QString path = QDir(m_dir).filePath(
            QStringLiteral("figure-%1.%2").arg(++m_exports).arg(QLatin1String(suffixes[below(3)])));
        ebm::ExportOptions options;
        options.size = QSize(200 + below(700), 200 + below(500));
        options.dpi = chance(0.5) ? 96 : 144;
        options.caption = chance(0.5);
        options.captionText = QStringLiteral("monkey");
        m_detail = QStringLiteral("%1 as %2").arg(target->metaObject()->className(), path);
        const QString error = m_window.exportFigure(target, path, options);
        if (!error.isEmpty() || QFileInfo(path).size() == 0)
            m_problems << QStringLiteral("export %1 failed: %2").arg(path, error);
    }

    void exportSweep()
    {
        const ebm::LabState before = m_window.state();
        const int frames = 2 + below(2);
        const QString dir = QDir(m_dir).filePath(QStringLiteral("sweep-%1").arg(++m_exports));
        const double from = std::pow(10.0, between(-3, 3)), to = std::pow(10.0, between(-3, 3));
        m_detail = QStringLiteral("%1 frames, beta %2 to %3 into %4").arg(frames).arg(from).arg(to).arg(dir);
        const QString error = m_window.exportBetaSweep(dir, frames, from, to);
        if (!error.isEmpty() || !QFileInfo::exists(ebm::framePath(dir, frames - 1, frames)))
            m_problems << QStringLiteral("beta sweep into %1 failed: %2").arg(dir, error);
        if (!(m_window.state() == before))
            m_problems << QStringLiteral("the beta sweep into %1 did not restore the state").arg(dir);
    }

    void writeDataFiles()
    {
        // What "Open data set" finds: a good file, and files that must be refused with nothing changed.
        const std::pair<const char *, const char *> files[] = {
            {"good.csv", "y1,y2\n1,0\n0,1\n-1,0\n0,-1\n1.5,1.5\n"},
            {"garbage.csv", "this is not, a data set\n\x01\x02\x03\n"},
            {"nan.csv", "y1,y2\n1,nan\n"},
            {"empty.csv", ""},
            {"header-only.csv", "y1,y2\n"},
            {"far.csv", "y1,y2\n1e300,-1e300\n0,0\n"},
        };
        for (const auto &[name, text] : files) {
            QFile f(QDir(m_dir).filePath(QLatin1String(name)));
            if (f.open(QIODevice::WriteOnly))
                f.write(text);
            m_dataFiles << f.fileName();
        }
        m_dataFiles << QDir(m_dir).filePath(QStringLiteral("missing.csv"));
    }

    void answerModalDialog()
    {
        QWidget *modal = QApplication::activeModalWidget();
        auto *dialog = qobject_cast<QDialog *>(modal);
        if (!dialog)
            return;
        ++m_modals[QString::fromLatin1(dialog->metaObject()->className())];
        // Accepting may open a modal of its own ("replace the file?", "file not found") inside this very slot,
        // where m_modalTimer cannot fire again: a one-shot answers that one.
        QTimer::singleShot(20, &m_modalTimer, [this] { answerModalDialog(); });
        if (auto *files = qobject_cast<QFileDialog *>(dialog)) {
            if (files->fileMode() == QFileDialog::Directory || chance(0.25)) {
                files->reject(); // the sweep from the menu has 60 frames: exportBetaSweep covers sweeps, faster
            } else if (files->acceptMode() == QFileDialog::AcceptOpen) {
                files->selectFile(m_dataFiles[below(int(m_dataFiles.size()))]);
                static_cast<QDialog *>(files)->accept(); // QFileDialog::accept is protected
            } else {
                files->selectFile(QDir(m_dir).filePath(QStringLiteral("saved-%1.out").arg(++m_exports)));
                static_cast<QDialog *>(files)->accept(); // QFileDialog::accept is protected
            }
        } else if (auto *figure = qobject_cast<ebm::ExportDialog *>(dialog)) {
            if (chance(0.3)) {
                figure->reject();
                return;
            }
            static const char *suffixes[] = {"png", "svg", "pdf"};
            figure->setPath(QDir(m_dir).filePath(
                QStringLiteral("dialog-%1.%2").arg(++m_exports).arg(QLatin1String(suffixes[below(3)]))));
            ebm::ExportOptions options = figure->options();
            options.size = QSize(100 + below(600), 100 + below(400));
            figure->setOptions(options);
            figure->accept();
        } else if (dialog->isModal() || qobject_cast<QMessageBox *>(dialog)) {
            dialog->reject();
        }
        if (dialog->isVisible() && QApplication::activeModalWidget() == dialog)
            dialog->done(QDialog::Rejected); // whatever it was, it must not block the monkey
    }

    ebm::MainWindow &m_window;
    ebm::Rng m_rng;
    QString m_dir;
    QTimer m_modalTimer;
    std::vector<Kind> m_kinds;
    double m_totalWeight = 0.0;
    std::vector<QAction *> m_actions, m_exportActions;
    QStringList m_dataFiles;
    QString m_detail;
    std::map<QString, Turns> m_turns;
    std::map<QString, int> m_modals;
    QStringList m_problems;
    QStringList m_slow;
    double m_lastCpuMs = 0.0;
    QString m_lastProfile;
    ProfilingApplication *m_profiler = nullptr;
    int m_exports = 0;
};

} // namespace ebmtest
