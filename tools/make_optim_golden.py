#!/usr/bin/env python3
"""Golden values for tests/optim/optim_golden_test.cpp from torch.optim (run with /usr/bin/python3).

Prints C++ initialisers; the test hard-codes them so it runs without Python.
"""
import torch

torch.set_printoptions(precision=10)


def floats(t):
    return ", ".join(f"{v:.9g}f" for v in t.detach().reshape(-1).tolist())


def params():
    a = torch.tensor([[0.5, -1.25, 2.0], [0.0, 3.5, -0.75]], requires_grad=True)
    b = torch.tensor([1.0, -2.0, 0.25, 4.0], requires_grad=True)
    return a, b


def grads(step):
    ga = torch.tensor([[0.1, -0.2, 0.3], [-0.4, 0.5, -0.6]]) * (step + 1)
    gb = torch.tensor([0.05, 0.0, -1.5, 2.5]) / (step + 1)
    return ga, gb


def run(make_opt, steps, skip_b_at=None, clip=None):
    a, b = params()
    opt = make_opt([a, b])
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 3))
    norms = []
    for s in range(steps):
        ga, gb = grads(s)
        a.grad = ga.clone()
        b.grad = None if s == skip_b_at else gb.clone()
        if clip is not None:
            norms.append(float(torch.nn.utils.clip_grad_norm_([a, b], clip)))
        opt.step()
        sched.step()
    return a, b, opt, norms


a, b, opt, norms = run(lambda p: torch.optim.AdamW(p, lr=0.01, betas=(0.9, 0.95), eps=1e-8,
                                                     weight_decay=0.1), 4, skip_b_at=1, clip=1.0)
print("// AdamW(lr=0.01, betas=(0.9, 0.95), eps=1e-8, wd=0.1), LambdaLR min(1,(s+1)/3),")
print("// 4 steps, b has no grad at step 1, clip_grad_norm_ 1.0 before each step")
print(f"const std::vector<float> kAdamA = {{{floats(a)}}};")
print(f"const std::vector<float> kAdamB = {{{floats(b)}}};")
st = opt.state[a]
print(f"const std::vector<float> kAdamAExpAvg = {{{floats(st['exp_avg'])}}};")
print(f"const std::vector<float> kAdamAExpAvgSq = {{{floats(st['exp_avg_sq'])}}};")
print(f"const int64_t kAdamBStep = {int(opt.state[b]['step'])};")
print(f"const std::vector<double> kClipNorms = {{{', '.join(f'{v:.9g}' for v in norms)}}};")

a, b, opt, _ = run(lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, dampening=0.1,
                                               weight_decay=0.01), 3)
print("// SGD(lr=0.05, momentum=0.9, dampening=0.1, wd=0.01), same schedule, 3 steps")
print(f"const std::vector<float> kSgdA = {{{floats(a)}}};")
print(f"const std::vector<float> kSgdB = {{{floats(b)}}};")
a, b, opt, _ = run(lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True), 3)
print("// SGD(lr=0.05, momentum=0.9, nesterov=True), 3 steps")
print(f"const std::vector<float> kNesterovA = {{{floats(a)}}};")
