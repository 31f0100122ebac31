"""Organs (administrative bodies, with an optional parent) and the people who work there."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Column
from sqlmodel import Field, SQLModel

from models.types import UtcDateTime, utcnow


class OrganBase(SQLModel):
    code: str = Field(max_length=64, unique=True, index=True)
    name: str = Field(max_length=200)


class OrganLetterData(SQLModel):
    """What the organ's documents print (DESIGN §11): organ data, never code, since the remedy bodies
    change with the law (the 2023 Administrative Reconsideration Law moved most reviews)."""

    short_name: str | None = Field(default=None, max_length=50)  # the number's prefix (红星镇)
    address: str | None = Field(default=None, max_length=300)
    phone: str | None = Field(default=None, max_length=50)
    reconsideration_body: str | None = Field(default=None, max_length=200)
    court: str | None = Field(default=None, max_length=200)
    # the number pattern; {short}{code}〔{year}〕{seq}号 when not set (codes.DEFAULT_NUMBER_PATTERN)
    number_pattern: str | None = Field(default=None, max_length=100)


class Organ(OrganBase, OrganLetterData, table=True):
    __tablename__ = "organ"

    id: int | None = Field(default=None, primary_key=True)
    parent_id: int | None = Field(default=None, foreign_key="organ.id", index=True)


class UserBase(SQLModel):
    name: str = Field(max_length=100, unique=True, index=True)
    role: str = Field(max_length=20)
    email: str = Field(max_length=254)


class User(UserBase, table=True):
    # "user" is reserved in PostgreSQL
    __tablename__ = "app_user"
    __table_args__ = (
        CheckConstraint("role IN ('caseworker', 'supervisor', 'admin')", name="ck_user_role"),
        # only an administrator may belong to no organ (the first one is made before any organ)
        CheckConstraint("role = 'admin' OR organ_id IS NOT NULL", name="ck_user_organ"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organ_id: int | None = Field(default=None, foreign_key="organ.id", index=True)
    password_hash: str | None = Field(default=None, max_length=200)
    active: bool = True
    # wrong passwords in a row at the web login, and until when they lock the account (accounts/logins.py)
    failed_logins: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    locked_until: dt.datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))
    # a web session carries the version it was opened under; logging out bumps it, ending every
    # copy of the user's session cookies on the server side (admin/auth.py)
    session_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime, nullable=False))


class LoginSource(SQLModel, table=True):
    """Wrong passwords from one client address within a window (accounts/logins.py): guessing across
    many accounts from one address is limited as guessing one account is."""

    __tablename__ = "login_source"

    address: str = Field(max_length=64, primary_key=True)
    failures: int = Field(default=0)
    window_start: dt.datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
