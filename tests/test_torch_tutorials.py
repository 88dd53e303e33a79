"""PyTorch's two beginner tutorials, line for line under `import jaring as torch`.

The quickstart (FashionMNIST MLP) and "Training a classifier" (CIFAR-10 CNN) with only the
torchvision loading replaced by arrays of the same shapes. Each line that jaring could not run
was a gap a student would hit first: `.type(torch.float)`, `classes[pred.argmax(0)]`,
`torch.save(model.state_dict(), path)`, `torch.device`, `torch.cuda.is_available()`,
`import torch.nn.functional as F`, a TensorDataset item's `.to(device)`.
"""

import numpy as np

import jaring as torch
import jaring.nn.functional as F
from jaring import nn, optim
from jaring.data import DataLoader, TensorDataset


def test_quickstart(tmp_path):
    rng = np.random.default_rng(0)
    images, labels = rng.random((256, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, 256)
    training_data = TensorDataset(torch.tensor(images[:192]), torch.tensor(labels[:192]))
    test_data = TensorDataset(torch.tensor(images[192:]), torch.tensor(labels[192:]))
    train_dataloader = DataLoader(training_data, batch_size=64)
    test_dataloader = DataLoader(test_data, batch_size=64)
    device = "cuda" if torch.cuda.is_available() else "cpu"

    class NeuralNetwork(nn.Module):
        def __init__(self):
            super().__init__()
            self.flatten = nn.Flatten()
            self.linear_relu_stack = nn.Sequential(
                nn.Linear(28 * 28, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10)
            )

        def forward(self, x):
            x = self.flatten(x)
            return self.linear_relu_stack(x)

    model = NeuralNetwork().to(device)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
    size = len(train_dataloader.dataset)
    model.train()
    for batch, (X, y) in enumerate(train_dataloader):
        X, y = X.to(device), y.to(device)
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        loss, current = loss.item(), (batch + 1) * len(X)
        assert isinstance(loss, float) and current == (batch + 1) * 64 <= size
    model.eval()
    test_loss, correct = 0, 0
    with torch.no_grad():
        for X, y in test_dataloader:
            pred = model(X.to(device))
            test_loss += loss_fn(pred, y).item()
            correct += (pred.argmax(1) == y).type(torch.float).sum().item()
    assert 0 <= correct <= 64 and np.isfinite(test_loss)
    torch.save(model.state_dict(), tmp_path / "model.pth")
    model = NeuralNetwork().to(device)
    model.load_state_dict(torch.load(tmp_path / "model.pth", weights_only=True))
    classes = [
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Boot",
    ]
    model.eval()
    x, y = test_data[0][0], test_data[0][1]
    with torch.no_grad():
        x = x.to(device)
        pred = model(x)
        predicted, actual = classes[pred[0].argmax(0)], classes[y]
    assert predicted in classes and actual == classes[int(labels[192])]


def test_training_a_classifier(tmp_path):
    rng = np.random.default_rng(1)
    images, labels = rng.random((48, 3, 32, 32), dtype=np.float32), rng.integers(0, 10, 48)
    trainloader = DataLoader(TensorDataset(images[:32], labels[:32]), batch_size=4, shuffle=True)
    testloader = DataLoader(TensorDataset(images[32:], labels[32:]), batch_size=4, shuffle=False)
    classes = ("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 6, 5)
            self.pool = nn.MaxPool2d(2, 2)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 5 * 5, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x):
            x = self.pool(F.relu(self.conv1(x)))
            x = self.pool(F.relu(self.conv2(x)))
            x = torch.flatten(x, 1)
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            return self.fc3(x)

    net = Net()
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
    running_loss = 0.0
    for _i, data in enumerate(trainloader, 0):
        inputs, labels_ = data
        optimizer.zero_grad()
        loss = criterion(net(inputs), labels_)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    assert np.isfinite(running_loss)
    path = tmp_path / "cifar_net.pth"
    torch.save(net.state_dict(), path)
    images_, labels_ = next(iter(testloader))
    assert " ".join(f"{classes[labels_[j]]:5s}" for j in range(4)).split() == [
        classes[k] for k in labels[32:36]
    ]
    net = Net()
    net.load_state_dict(torch.load(path, weights_only=True))
    _, predicted = torch.max(net(images_), 1)
    assert len(" ".join(f"{classes[predicted[j]]:5s}" for j in range(4))) >= 23
    correct, total = 0, 0
    correct_pred = {classname: 0 for classname in classes}
    with torch.no_grad():
        for images_, labels_ in testloader:
            outputs = net(images_)
            _, predicted = torch.max(outputs.data, 1)
            total += labels_.size(0)
            correct += (predicted == labels_).sum().item()
            for label, prediction in zip(labels_, predicted, strict=True):
                if label == prediction:
                    correct_pred[classes[label]] += 1
    assert total == 16 and correct == sum(correct_pred.values())
    device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
    net.to(device)
    assert net.fc1.weight.device == device


def test_the_blitz_tensors_autograd_and_neural_networks_pages():
    data = [[1, 2], [3, 4]]
    x_data = torch.tensor(data)
    x_rand = torch.rand_like(x_data, dtype=torch.float)
    assert x_rand.dtype == torch.float32 and x_rand.shape == (2, 2)
    device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
    tensor = torch.ones(4, 4).to(device)
    tensor[:, 1] = 0
    y3 = torch.rand_like(tensor)
    torch.matmul(tensor, tensor.T, out=y3)
    z3 = torch.rand_like(tensor)
    torch.mul(tensor, tensor, out=z3)
    assert np.array_equal(y3.numpy(), (tensor @ tensor.T).numpy()) and np.array_equal(
        z3.numpy(), tensor.numpy()
    )
    a = torch.tensor([2.0, 3.0], requires_grad=True)
    b = torch.tensor([6.0, 4.0], requires_grad=True)
    Q = 3 * a**3 - b**2
    Q.backward(gradient=torch.tensor([1.0, 1.0]))
    assert bool((9 * a**2 == a.grad).all()) and bool((-2 * b == b.grad).all())
    model = nn.Sequential(nn.Linear(4, 2))
    for param in model.parameters():
        param.requires_grad = False
    model[0] = nn.Linear(4, 3)  # only the new layer trains
    assert [p.requires_grad for p in model.parameters()] == [True, True]

    class Net(nn.Module):
        def __init__(self):
            super(Net, self).__init__()  # noqa: UP008 (the tutorial's spelling)
            self.conv1 = nn.Conv2d(1, 6, 5)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 5 * 5, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, input):
            s2 = F.max_pool2d(F.relu(self.conv1(input)), (2, 2))
            s4 = torch.flatten(F.max_pool2d(F.relu(self.conv2(s2)), 2), 1)
            return self.fc3(F.relu(self.fc2(F.relu(self.fc1(s4)))))

    net = Net()
    params = list(net.parameters())
    assert len(params) == 10 and params[0].size() == (6, 1, 5, 5)
    input = torch.randn(1, 1, 32, 32)
    net.zero_grad()
    net(input).backward(torch.randn(1, 10))
    loss = nn.MSELoss()(net(input), torch.randn(10).view(1, -1))
    assert "MSELoss" in repr(loss.grad_fn) and loss.grad_fn.next_functions[0][0] is not None
    net.zero_grad()
    loss.backward()
    before = net.conv1.bias.data.copy()
    for f in net.parameters():
        f.data -= f.grad.data * 0.01  # jaring's .data is the array: NumPy's -= updates it in place
    assert not np.array_equal(before, net.conv1.bias.data)
