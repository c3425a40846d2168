#include "statecommand.h"

#include <QCoreApplication>

namespace ebm {

StateCommand::StateCommand(const LabState &before, const LabState &after, std::function<void(const LabState &)> apply)
    : m_before(before)
    , m_after(after)
    , m_kind(kindOf(before, after))
    , m_apply(std::move(apply))
{
    switch (m_kind) {
    case Observation:
        setText(QCoreApplication::translate("StateCommand", "move the observation"));
        break;
    case Temperature:
        setText(QCoreApplication::translate("StateCommand", "change β"));
        break;
    case Section:
        setText(QCoreApplication::translate("StateCommand", "move the section line"));
        break;
    case Other:
        setText(QCoreApplication::translate("StateCommand", "change parameters"));
        break;
    }
}

bool StateCommand::mergeWith(const QUndoCommand *other)
{
    const auto *next = static_cast<const StateCommand *>(other); // same id() means same class here
    m_after = next->m_after;
    return true;
}

StateCommand::Kind StateCommand::kindOf(const LabState &before, const LabState &after)
{
    LabState probe = before;
    probe.observation = after.observation;
    if (probe == after)
        return Observation;
    probe = before;
    probe.beta = after.beta;
    if (probe == after)
        return Temperature;
    probe = before;
    probe.sectionY1 = after.sectionY1;
    if (probe == after)
        return Section;
    return Other;
}

} // namespace ebm
