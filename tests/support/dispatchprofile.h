// Where the GUI thread's time went: the application's notify() timed at its outermost level, in wall-clock and in
// this thread's CPU time, each dispatch named by its event type and receiver (class, object name, the panel of ours
// it belongs to). The monkey names the dispatches of a slow turn with it; the interaction benchmark tells a long
// block from the scheduler giving the core to another process. Nested dispatches (a modal dialog's loop, a
// sendEvent inside a slot) count for the outer one.
#pragma once

#include <QApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QMetaEnum>
#include <QStringList>
#include <QThread>

#include <algorithm>
#include <ctime>
#include <map>
#include <vector>

namespace ebmtest {

class ProfilingApplication : public QApplication
{
public:
    using QApplication::QApplication;

    struct Dispatch
    {
        double wallMs = 0.0, cpuMs = 0.0;
        double endMs = 0.0; //!< when it ended, on nowMs()'s clock
        QString what;       //!< "MetaCall to QCustomPlot in ebm::ObservationPlane"
    };

    bool recording = false;           //!< dispatches are timed only while this is set
    std::vector<Dispatch> dispatches; //!< in the order they ended

    //! Milliseconds on a monotonic clock started with the application.
    double nowMs() const { return m_clock.nsecsElapsed() / 1e6; }
    static ProfilingApplication *instance() { return dynamic_cast<ProfilingApplication *>(qApp); }

    static double threadCpuMs()
    {
        timespec t{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return 1e3 * double(t.tv_sec) + 1e-6 * double(t.tv_nsec);
    }

    //! Starts a new turn: what describeTurn() reports is from here on.
    void beginTurn()
    {
        dispatches.clear();
        recording = true;
    }

    //! The \a count receivers and event types that cost the most CPU since beginTurn(), summed, e.g.
    //! "12.3 ms MetaCall to QCustomPlot in ebm::TrainingPanel; ...".
    QString describeTurn(int count = 4) const
    {
        std::map<QString, double> byWhat;
        for (const Dispatch &d : dispatches)
            byWhat[d.what] += d.cpuMs;
        std::vector<std::pair<double, QString>> costs;
        for (const auto &[what, ms] : byWhat)
            costs.emplace_back(ms, what);
        std::sort(costs.rbegin(), costs.rend());
        QStringList parts;
        for (size_t i = 0; i < costs.size() && int(i) < count; ++i)
            parts << QStringLiteral("%1 ms %2").arg(costs[i].first, 0, 'f', 1).arg(costs[i].second);
        return parts.join(QStringLiteral("; "));
    }

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (!recording || m_depth > 0 || QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);
        const QString what = describe(receiver, event); // before: the receiver may delete itself in the dispatch
        ++m_depth;
        QElapsedTimer wall;
        wall.start();
        const double cpu = threadCpuMs();
        const bool result = QApplication::notify(receiver, event);
        dispatches.push_back({wall.nsecsElapsed() / 1e6, threadCpuMs() - cpu, nowMs(), what});
        --m_depth;
        return result;
    }

private:
    static QString describe(QObject *receiver, QEvent *event)
    {
        const char *type = QMetaEnum::fromType<QEvent::Type>().valueToKey(event->type());
        QString name = QString::fromLatin1(receiver->metaObject()->className());
        if (!receiver->objectName().isEmpty())
            name += QStringLiteral(" \"%1\"").arg(receiver->objectName());
        // A plot or a button is told apart by the panel of ours it belongs to.
        for (QObject *owner = receiver->parent(); owner; owner = owner->parent()) {
            if (QByteArray(owner->metaObject()->className()).startsWith("ebm::")) {
                name += QStringLiteral(" in %1").arg(QString::fromLatin1(owner->metaObject()->className()));
                break;
            }
        }
        return QStringLiteral("%1 to %2")
            .arg(type ? QString::fromLatin1(type) : QString::number(int(event->type())), name);
    }

    int m_depth = 0;
    QElapsedTimer m_clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
};

} // namespace ebmtest
