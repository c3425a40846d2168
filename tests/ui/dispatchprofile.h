// Where a turn of the event loop spent the GUI thread's CPU: the application's notify() timed at its outermost
// level, so that a slow turn of the monkey names its dispatches (receiver class, object name, event type) instead
// of only its length. Nested dispatches (a modal dialog's loop, a sendEvent inside a slot) count for the outer one.
#pragma once

#include <QApplication>
#include <QEvent>
#include <QMetaEnum>
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

    static ProfilingApplication *instance() { return dynamic_cast<ProfilingApplication *>(qApp); }

    //! Starts a new turn: what describeTurn() reports is from here on.
    void beginTurn() { m_turn.clear(); }

    //! The turn's \a count most expensive dispatches, "12.3 ms QEvent::MetaCall to ebm::TrainingPanel", by CPU time.
    QString describeTurn(int count = 4) const
    {
        std::vector<std::pair<double, QString>> costs;
        for (const auto &[what, ms] : m_turn)
            costs.emplace_back(ms, what);
        std::sort(costs.rbegin(), costs.rend());
        QStringList parts;
        for (size_t i = 0; i < costs.size() && int(i) < count; ++i)
            parts << QStringLiteral("%1 ms %2").arg(costs[i].first, 0, 'f', 1).arg(costs[i].second);
        return parts.join(QStringLiteral("; "));
    }

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (m_depth > 0 || QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);
        const QString what = describe(receiver, event); // before: the receiver may be deleted by the event
        ++m_depth;
        const double start = threadCpuMs();
        const bool result = QApplication::notify(receiver, event);
        m_turn[what] += threadCpuMs() - start;
        --m_depth;
        return result;
    }

private:
    static double threadCpuMs()
    {
        timespec t{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
    }

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
    std::map<QString, double> m_turn;
};

} // namespace ebmtest
