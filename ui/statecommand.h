// One undoable change of the lab state: parameters, the observation, the section line.
#pragma once

#include "labstate.h"

#include <QUndoCommand>

#include <functional>

namespace ebm {

class StateCommand : public QUndoCommand
{
public:
    //! Consecutive changes of one kind (dragging y, moving the beta slider) merge into one undo step.
    enum Kind { Observation = 1, Temperature, Section, Other = -1 };

    StateCommand(const LabState &before, const LabState &after, std::function<void(const LabState &)> apply);

    void undo() override { m_apply(m_before); }
    void redo() override { m_apply(m_after); }
    int id() const override { return m_kind; }
    bool mergeWith(const QUndoCommand *other) override;

    //! \brief what kind of change leads from \a before to \a after (Other when several things changed)
    static Kind kindOf(const LabState &before, const LabState &after);

private:
    LabState m_before;
    LabState m_after;
    Kind m_kind;
    std::function<void(const LabState &)> m_apply;
};

} // namespace ebm
