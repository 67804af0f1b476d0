using Amlfs.Learning.Calibration;

namespace Amlfs.Learning.Tests.Calibration;

public sealed class ProbabilityCalibrationTests
{
    [Fact]
    public void Applying_either_calibration_allocates_nothing()
    {
        ProbabilityCalibration[] calibrations =
        [
            IsotonicCalibration.Fit([-2, -1, 0, 1, 2, 3], [false, true, false, true, true, true]),
            new PlattCalibration(1.5, -0.5),
        ];
        foreach (var calibration in calibrations)
            calibration.Apply(0.25);

        var before = GC.GetAllocatedBytesForCurrentThread();
        double sum = 0;
        foreach (var calibration in calibrations)
        {
            for (var x = -3.0; x <= 3.0; x += 0.01)
                sum += calibration.Apply(x);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.True(sum > 0);
    }
}
