#include "repaintpacer.h"

#include <qcustomplot.h>

#include <QCoreApplication>
#include <QElapsedTimer>

namespace ebm {

RepaintPacer::RepaintPacer(QObject *parent)
    : QObject(parent)
{
}

RepaintPacer &RepaintPacer::instance()
{
    static QPointer<RepaintPacer> pacer;
    if (!pacer)
        pacer = new RepaintPacer(QCoreApplication::instance());
    return *pacer;
}

void RepaintPacer::schedule(QObject *key, std::function<void()> job)
{
    for (Job &waiting : m_queue) {
        if (waiting.key == key) {
            waiting.run = std::move(job);
            return;
        }
    }
    m_queue.push_back({key, std::move(job)});
    post();
}

void RepaintPacer::replot(QCustomPlot *plot)
{
    instance().schedule(plot, [plot] { plot->replot(); });
}

void RepaintPacer::settle(int maxTurns)
{
    QCoreApplication::processEvents();
    for (int turn = 0; turn < maxTurns && instance().pending() > 0; ++turn)
        QCoreApplication::processEvents();
}

void RepaintPacer::post()
{
    if (m_posted)
        return;
    m_posted = true;
    // Posted while a turn delivers its events, this call is delivered in the next turn.
    QMetaObject::invokeMethod(this, &RepaintPacer::runTurn, Qt::QueuedConnection);
}

void RepaintPacer::runTurn()
{
    m_posted = false;
    QElapsedTimer turn;
    turn.start();
    while (!m_queue.empty() && turn.nsecsElapsed() < kTurnBudgetMs * 1e6) {
        Job job = std::move(m_queue.front());
        m_queue.pop_front();
        if (job.key)
            job.run(); // may schedule again: its key goes to the back
    }
    if (!m_queue.empty())
        post();
}

} // namespace ebm
