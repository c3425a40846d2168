// An SVG paint device that clips. Qt 6.4's QSvgGenerator ignores the painter's clip, so a plot's curves, markers
// and legend icons would spill over its axes and margins; Qt's own SVG renderer would ignore an SVG clip-path too.
// This device applies the clip to the geometry before it reaches the generator: lines stay lines, text stays text.
#pragma once

#include <QPaintDevice>

#include <memory>

class QSvgGenerator;

namespace ebm {

class ClippingSvgEngine;

class ClippingSvgDevice : public QPaintDevice
{
public:
    //! Paints into \a target, which must outlive this device.
    explicit ClippingSvgDevice(QSvgGenerator *target);
    ~ClippingSvgDevice() override;
    QPaintEngine *paintEngine() const override;

protected:
    int metric(PaintDeviceMetric metric) const override;

private:
    QSvgGenerator *m_target;
    std::unique_ptr<ClippingSvgEngine> m_engine;
};

} // namespace ebm
