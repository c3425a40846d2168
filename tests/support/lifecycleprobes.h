// Probes for robustness tests: the threads this process runs, and the Qt warnings it printed.
#pragma once

#include <QDir>
#include <QFile>
#include <QMutex>
#include <QMutexLocker>
#include <QRegularExpression>
#include <QStringList>
#include <QThread>
#include <QThreadPool>
#include <QtGlobal>

#include <vector>

namespace ebmtest {

//! \brief the names of the threads of this process now (/proc/self/task/<tid>/comm), sorted
inline QStringList threadNames()
{
    QStringList names;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + QStringLiteral("/comm")));
        names << (comm.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(comm.readAll()).trimmed()
                                                 : QStringLiteral("?"));
    }
    names.sort();
    return names;
}

//! \brief the threads of \a after that \a before did not have (by name, with multiplicity)
inline QStringList extraThreads(const QStringList &before, QStringList after)
{
    for (const QString &name : before)
        after.removeOne(name);
    return after;
}

//! \brief waits up to \a ms for the thread count to come down to \a count (a joined thread leaves /proc a little
//! after join() returns on some kernels); returns the names of the threads still extra
inline QStringList waitForThreads(const QStringList &before, int ms)
{
    QStringList extra;
    for (int waited = 0;; waited += 10) {
        extra = extraThreads(before, threadNames());
        if (extra.isEmpty() || waited >= ms)
            return extra;
        QThread::msleep(10);
    }
}

//! Records every qWarning, qCritical and qFatal while installed, and forwards everything to the handler it
//! replaced (Qt Test's, which prints it). Messages matching one of the allowed patterns are kept apart: they are
//! known to be harmless and each pattern says why where it is added.
class WarningRecorder
{
public:
    WarningRecorder()
    {
        s_self = this;
        m_previous = qInstallMessageHandler(&WarningRecorder::handle);
    }
    ~WarningRecorder()
    {
        qInstallMessageHandler(m_previous);
        s_self = nullptr;
    }
    WarningRecorder(const WarningRecorder &) = delete;
    WarningRecorder &operator=(const WarningRecorder &) = delete;

    void allow(const QString &pattern) { m_allowed.emplace_back(pattern); }
    //! The unexpected warnings so far.
    QStringList unexpected() const
    {
        QMutexLocker lock(&m_mutex);
        return m_unexpected;
    }
    int allowedCount() const
    {
        QMutexLocker lock(&m_mutex);
        return m_allowedCount;
    }
    void clear()
    {
        QMutexLocker lock(&m_mutex);
        m_unexpected.clear();
        m_allowedCount = 0;
    }
    //! Called on every recorded fatal message before Qt aborts: a test prints how to replay here.
    void (*onFatal)(const QString &message) = nullptr;

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        WarningRecorder *self = s_self;
        if (self && type != QtDebugMsg && type != QtInfoMsg) {
            bool allowed = false;
            for (const QRegularExpression &pattern : self->m_allowed)
                allowed = allowed || pattern.match(message).hasMatch();
            {
                QMutexLocker lock(&self->m_mutex);
                if (allowed)
                    ++self->m_allowedCount;
                else
                    self->m_unexpected << message;
            }
            if (type == QtFatalMsg && self->onFatal)
                self->onFatal(message);
        }
        if (self && self->m_previous)
            self->m_previous(type, context, message);
    }

    static inline WarningRecorder *s_self = nullptr;
    QtMessageHandler m_previous = nullptr;
    std::vector<QRegularExpression> m_allowed;
    mutable QMutex m_mutex;
    QStringList m_unexpected;
    int m_allowedCount = 0;
};

} // namespace ebmtest
