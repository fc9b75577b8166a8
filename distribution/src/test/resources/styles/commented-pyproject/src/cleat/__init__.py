"""Belaying pins and cleats."""


def main():
    print("cleat: make fast")
